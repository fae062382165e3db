# Second file: the related block and a rule using both.
actor User {}
resource Org { roles = ["member"]; }
has_role(u: User, "member", o: Org) if is_member(u, o);
