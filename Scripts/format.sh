#!/usr/bin/env bash
# Formats every Swift file of the tree in place, as .swift-format says.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format format --in-place --recursive --parallel --configuration .swift-format Sources Tests Fuzz/Sources
