#!/usr/bin/env bash
# User Statuses (an actor attribute gates every permission through a custom allow rule)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell has_permission User:bob delete Repo:legacy
boreal tell is_active User:bob
boreal authorize User:bob delete Repo:legacy
