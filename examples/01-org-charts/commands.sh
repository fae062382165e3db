#!/usr/bin/env bash
# Org Charts (actor hierarchy: managers inherit the permissions of their reports)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell has_relation User:bob "manager" User:alice
boreal tell has_relation User:alice "manager" User:eve
boreal tell has_role User:bob "reader" Repo:service
boreal authorize User:eve "read" Repo:service
