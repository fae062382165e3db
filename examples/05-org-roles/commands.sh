#!/usr/bin/env bash
# Org Roles (resource hierarchy: a role on an org extends to the org's resources)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell has_relation Repo:service container Org:oso
boreal tell has_role User:alice reader Org:oso
boreal authorize User:alice read Repo:service
