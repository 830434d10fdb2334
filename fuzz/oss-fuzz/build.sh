#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for h1conform (Python, atheris).
# $SRC/h1conform is the checkout; compile_python_fuzzer (from the base-builder-python image) packs each
# harness with PyInstaller into $OUT/<name>, and libFuzzer flags are passed straight through at run time.
cd "$SRC/h1conform"
pip3 install .   # h1conform, h1conform_server, h1conform_fuzz and h11: every import of the harnesses

for harness in fuzz/fuzz_*.py; do
  name=$(basename "$harness" .py)
  compile_python_fuzzer "$harness"
  # seed corpus and dictionary, named after the harness as OSS-Fuzz expects
  if [ -d "fixtures/corpus/$name" ]; then
    (cd "fixtures/corpus/$name" && zip -q -j "$OUT/${name}_seed_corpus.zip" ./*)
  fi
  if [ -f "fixtures/dict/$name.dict" ]; then
    cp "fixtures/dict/$name.dict" "$OUT/$name.dict"
  fi
done
