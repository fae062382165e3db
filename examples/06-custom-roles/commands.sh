#!/usr/bin/env bash
# Custom Roles (roles are data: Role values whose permissions are facts)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell grants_permission Role:viewer read
boreal tell has_role User:alice Role:viewer Repo:service
boreal authorize User:alice read Repo:service
