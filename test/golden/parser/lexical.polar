# Strings, escapes, comments, identifiers.
escapes(x) if x in ["plain", "quote \" here", "back\\slash", "tab\t", "nl\n", "cr\r", "nul\0", "other \q \# \{"]; # trailing comment
# comment with "a string" and ; and } in it
unicode(café, 名前, _x1) if café = "ünïcödé ✓" and 名前 = "日本" and ns::Foo::bar?(_x1);
windows(x) if
  x = 1;	# tab before comment
ints(x) if x in [0, 007, 9223372036854775807, -9223372036854775808];
