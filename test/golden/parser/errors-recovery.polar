# Several errors in one file: each is reported and parsing goes on.
good1(x) if x = 1;
bad1(x) if x == 1;
good2(x) if x = 2;
resource Repo {
  roles = ["reader"];
  "read" if "reader" in "parent";
  permissions = ["read"];
  "read" if "reader";
}
bad2(x) if f(x) g(x);
thing Foo { roles = ["a"]; }
good3();
bad3(x) if x = 1.5
