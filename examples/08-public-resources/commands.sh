#!/usr/bin/env bash
# Public Resources (a resource attribute makes a resource readable by anyone)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell is_public Org:oso
boreal authorize Actor:alice read Org:oso
