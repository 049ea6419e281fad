#!/bin/sh
# The include graph of include/imbalance/ runs down the layers only (README, "Layers"): every
# #include "imbalance/<folder>/..." of a header names its own folder or a folder of a lower layer.
# Prints each arrow that runs sideways or up, and fails if there is one.
#   tests/sh/include_layers.sh INCLUDE_DIR
set -eu
root="$1/imbalance"
# Layer of a folder (top: the umbrella headers beside the folders).
layer() {
  case "$1" in
    core|detail) echo 0 ;;
    data|metrics|losses|heads|neighbors) echo 1 ;;
    model_selection|posthoc|train) echo 2 ;;
    sampling) echo 3 ;;
    over_sampling|under_sampling) echo 4 ;;
    combine) echo 5 ;;
    noisy|semi|partial) echo 6 ;;
    pipeline) echo 7 ;;
    registry) echo 8 ;;
    distributed|libtorch) echo 9 ;;
    top) echo 10 ;;
    *) echo "unknown folder '$1': give it a layer in tests/sh/include_layers.sh" >&2; echo 99 ;;
  esac
}
bad=0
checked=0
for header in $(cd "$root" && find . -name '*.hpp' | sort); do
  folder=$(dirname "$header" | sed 's|^\./||; s|^\.$|top|; s|/detail$||')  # a folder's detail/: its layer
  from=$(layer "$folder")
  for target in $(grep -o '#include "imbalance/[a-z_]*/' "$root/$header" | sed 's|#include "imbalance/||; s|/$||' | sort -u); do
    checked=$((checked + 1))
    [ "$target" = "$folder" ] && continue
    to=$(layer "$target")
    if [ "$to" -ge "$from" ] && ! { [ "$from" -eq 0 ] && [ "$to" -eq 0 ]; }; then
      echo "imbalance/${header#./} (layer $from, $folder/) includes $target/ (layer $to)"
      bad=$((bad + 1))
    fi
  done
done
echo "$checked folder-level includes checked, $bad against the layers"
[ "$bad" -eq 0 ]
