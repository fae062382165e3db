# Every body expression form, and how precedence groups them.
calls(x) if f() and g(x, "s", 1, -2, true, User{"alice"}, _, @current_unix_time);
comparisons(a, b) if a = b and a != b and a < b and a <= b and a > b and a >= b;
literals(x) if x = "str" or x = 42 or x = -7 or x = false or x = Integer{3} or x = Boolean{false} or x = String{"s"};
membership(x) if x in ["a", "b", "c",] and x in [] and x in [1, Org{"acme"}];
typecheck(x) if x matches User and x matches Foo::Bar;
goals() if true and not false;
# `not` binds tighter than `and`; `and` tighter than `or`.
prec1(a, b, c) if not f(a) and g(b) or h(c);
prec2(a, b, c) if f(a) or g(b) and h(c) or i(a);
# Parentheses leave no node but keep their grouping; `and`/`or` chains are n-ary.
parens1(a, b, c) if (f(a) or g(b)) and h(c);
parens2(a, b, c) if f(a) and (g(b) and h(c));
parens3(a) if not (f(a) or g(a));
parens4(a) if ((f(a)));
not_not(a) if not not f(a);
negated_in(x) if not x in ["a"];
time(t) if t > @current_unix_time and @current_unix_time <= t;
reversed(x) if "a" = x and 1 < x;
