# Top-level items other than rules and blocks, rule flags and @current_unix_time.
declare has_tag(User, Tag);
declare no_args();
declare is_weird(Integer, String, Boolean);
type f(x: Integer);
type g(_: String, "lit", y);
type h();
?= f(1);
?= x = 1 and not x = 2;
@internal
has_permission(_: User, "read", _: Organization);
@a @b flagged(x) if x = @current_unix_time;
fact_rule(User{"alice"}, "member", Org{"acme"});
zero();
# Contextual keywords are ordinary names outside their positions.
uses_keywords(actor, resource, global, test, setup, fixture, declare, type, on, roles) if
  relations(permissions, extends, iff, assert, assert_not);
actor(x) if resource(x);
