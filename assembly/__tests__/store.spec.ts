import { NONE } from "../util/mem";
import {
  relEnsure, relInsert, relDelete, relFind, relLive, idxEnsure, idxFind, idxNext, idxUsed, relNextLive,
  relPlanBatch, relBytes,
} from "../store/store";
import { storeReserve } from "../store/bulk-abi";

const KEY = memory.data(64);

function put3(a: u32, b: u32, c: u32): usize {
  store<u32>(KEY, a);
  store<u32>(KEY + 4, b);
  store<u32>(KEY + 8, c);
  return KEY;
}

function chainLen(idx: u32, head: u32): u32 {
  let n: u32 = 0;
  let r = head;
  while (r != NONE) {
    n++;
    r = idxNext(idx, r);
  }
  return n;
}

describe("hash index", () => {
  test("insert, find, dedup", () => {
    relEnsure(0, 3);
    expect(relInsert(0, put3(0x10001, 0x10002, 0x10003))).toBe(0);
    expect(relInsert(0, put3(0x10001, 0x10002, 0x10003))).toBe(NONE, "duplicate");
    expect(relInsert(0, put3(0x10001, 0x10002, 0x10004))).toBe(1);
    expect(relLive(0)).toBe(2);
    expect(relFind(0, put3(0x10001, 0x10002, 0x10004))).toBe(1);
    expect(relFind(0, put3(0x10001, 0x10002, 0x10005))).toBe(NONE);
  });

  test("a chained index groups rows by key and is built over existing rows", () => {
    relEnsure(1, 3);
    for (let i: u32 = 0; i < 100; i++) relInsert(1, put3(0x10000 + (i % 10), 0x20000, 0x30000 + i));
    const idx = idxEnsure(1, 0b011);
    const head = idxFind(idx, put3(0x10003, 0x20000, 0));
    expect(head).not.toBe(NONE);
    expect(chainLen(idx, head)).toBe(10);
    // new rows join the chain
    relInsert(1, put3(0x10003, 0x20000, 0x40000));
    expect(chainLen(idx, idxFind(idx, put3(0x10003, 0x20000, 0)))).toBe(11);
    expect(idxEnsure(1, 0b011)).toBe(idx, "indexes are shared");
  });

  test("grows through many rehashes", () => {
    relEnsure(2, 2);
    const idx = idxEnsure(2, 0b01);
    for (let i: u32 = 0; i < 50000; i++) {
      store<u32>(KEY, 0x10000 + (i >> 2));
      store<u32>(KEY + 4, 0x10000 + i);
      relInsert(2, KEY);
    }
    expect(relLive(2)).toBe(50000);
    expect(idxUsed(idx)).toBe(12500);
    for (let k: u32 = 0; k < 12500; k += 997) {
      store<u32>(KEY, 0x10000 + k);
      expect(chainLen(idx, idxFind(idx, KEY))).toBe(4);
    }
  });

  test("deletes leave no trace in any index", () => {
    relEnsure(3, 3);
    const a = idxEnsure(3, 0b001);
    const b = idxEnsure(3, 0b110);
    for (let i: u32 = 0; i < 20000; i++) relInsert(3, put3(0x10000 + (i % 7), 0x10000 + (i % 13), 0x10000 + i));
    expect(idxUsed(a)).toBe(7);
    // delete in an order that hits heads, middles and tails of chains
    for (let i: u32 = 0; i < 20000; i++) {
      const j = (i * 7919) % 20000;
      expect(relDelete(3, put3(0x10000 + (j % 7), 0x10000 + (j % 13), 0x10000 + j))).toBe(true);
    }
    expect(relLive(3)).toBe(0);
    expect(idxUsed(a)).toBe(0);
    expect(idxUsed(b)).toBe(0);
    expect(relNextLive(3, 0)).toBe(NONE);
    expect(relDelete(3, put3(0x10000, 0x10000, 0x10000))).toBe(false);
    // the relation is usable again
    expect(relInsert(3, put3(0x10005, 0x10006, 0x10007))).not.toBe(NONE);
    expect(idxFind(a, put3(0x10005, 0, 0))).not.toBe(NONE);
  });

  test("dedup walks the lowest column's chain, then builds a full-key index for long chains", () => {
    relEnsure(5, 3);
    const c0 = idxEnsure(5, 0b001);
    for (let i: u32 = 0; i < 200; i++) expect(relInsert(5, put3(0x10001, 0x10002, 0x10000 + i))).not.toBe(NONE);
    for (let i: u32 = 0; i < 200; i += 17) expect(relInsert(5, put3(0x10001, 0x10002, 0x10000 + i))).toBe(NONE, "duplicate");
    expect(relLive(5)).toBe(200);
    expect(chainLen(c0, idxFind(c0, put3(0x10001, 0, 0)))).toBe(200);
    for (let i: u32 = 0; i < 200; i++) expect(relDelete(5, put3(0x10001, 0x10002, 0x10000 + i))).toBe(true);
    expect(relLive(5)).toBe(0);
    expect(idxUsed(c0)).toBe(0);
  });

  test("free rows are reused", () => {
    relEnsure(4, 1);
    store<u32>(KEY, 0x10001);
    const r = relInsert(4, KEY);
    store<u32>(KEY, 0x10002);
    relInsert(4, KEY);
    store<u32>(KEY, 0x10001);
    relDelete(4, KEY);
    store<u32>(KEY, 0x10003);
    expect(relInsert(4, KEY)).toBe(r);
  });
});

describe("batches", () => {
  const DISTINCT = memory.data(16);

  test("an empty relation is sized once for a batch: no growth while it arrives", () => {
    relEnsure(6, 3);
    const c0 = idxEnsure(6, 0b001);
    const c2 = idxEnsure(6, 0b100);
    // 3000 facts (1000 of them repeats): 100 keys in column 0, 1 in column 1, 2000 in column 2
    store<u32>(DISTINCT, 100);
    store<u32>(DISTINCT + 4, 1);
    store<u32>(DISTINCT + 8, 2000);
    const before = relBytes(6);
    const bytes = relPlanBatch(6, 3000, DISTINCT, false);
    expect(relBytes(6)).toBe(before, "sizing alone changes nothing");
    expect(relPlanBatch(6, 3000, DISTINCT, true)).toBe(bytes);
    const planned = relBytes(6);
    // rows and prev[] for 3000 rows, and both tables replaced
    expect(<u32>bytes).toBe(planned);
    for (let i: u32 = 0; i < 3000; i++) {
      const k = i % 2000;
      const added = relInsert(6, put3(0x10000 + (k % 100), 0x20000, 0x30000 + k));
      expect(added == NONE).toBe(i >= 2000, "repeats are not stored");
    }
    expect(relLive(6)).toBe(2000);
    expect(relBytes(6)).toBe(planned, "no table grew during the batch");
    expect(idxUsed(c0)).toBe(100);
    expect(idxUsed(c2)).toBe(2000);
    expect(chainLen(c0, idxFind(c0, put3(0x10007, 0, 0)))).toBe(20);
    for (let k: u32 = 0; k < 2000; k++) expect(relDelete(6, put3(0x10000 + (k % 100), 0x20000, 0x30000 + k))).toBe(true);
    expect(idxUsed(c0)).toBe(0);
    expect(idxUsed(c2)).toBe(0);
  });

  test("a relation that holds facts keeps its growth steps", () => {
    relEnsure(7, 3);
    idxEnsure(7, 0b001);
    relInsert(7, put3(0x10001, 0x10002, 0x10003));
    store<u32>(DISTINCT, 1000);
    store<u32>(DISTINCT + 4, 1000);
    store<u32>(DISTINCT + 8, 1000);
    const before = relBytes(7);
    expect(relPlanBatch(7, 1000, DISTINCT, true)).toBe(0);
    expect(relBytes(7)).toBe(before);
  });

  test("storeReserve reads [rel, count, distinct...] shapes", () => {
    relEnsure(8, 2);
    const c1 = idxEnsure(8, 0b10);
    const shape = memory.data(32);
    store<u32>(shape, 8);
    store<u32>(shape + 4, 500);
    store<u32>(shape + 8, 500);
    store<u32>(shape + 12, 5);
    storeReserve(shape, 1);
    const planned = relBytes(8);
    expect(planned).toBeGreaterThan(500 * 4 * 4, "rows were reserved");
    for (let i: u32 = 0; i < 500; i++) {
      store<u32>(KEY, 0x10000 + i);
      store<u32>(KEY + 4, 0x20000 + (i % 5));
      expect(relInsert(8, KEY)).not.toBe(NONE);
    }
    expect(relBytes(8)).toBe(planned);
    expect(idxUsed(c1)).toBe(5);
  });
});
