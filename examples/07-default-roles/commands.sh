#!/usr/bin/env bash
# Default Roles (an org-configurable default role that all org members get on the org's repos)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell has_default_role Org:oso writer
boreal tell has_role User:bob member Org:oso
boreal tell has_parent Repo:service Org:oso
boreal authorize User:bob write Repo:service
