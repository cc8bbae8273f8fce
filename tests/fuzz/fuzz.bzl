"""hero_fuzz_target: one fuzz target, its libFuzzer binary and its corpus replay test.

    hero_fuzz_target(
        name = "parser",
        srcs = ["parser_fuzzer.cc"],
        deps = ["//src/program:parser"],
    )

makes
  * `<name>_fuzzer`: under `--config=fuzz` a libFuzzer binary (clang,
    ASan+UBSan; tools/fuzz.sh builds and runs it); otherwise the same entry
    point with replay_main.cc, which runs the files it is given once each.
  * `<name>_replay_test`: a test of `bazel test //...` (any toolchain) that
    replays the seed corpus `corpus/<name>/` and the regression inputs
    `regressions/<name>/` (inputs that once failed, kept after the fix).
  * `<name>_dict` exported if `<name>.dict` exists (libFuzzer -dict).

Adding a target: a .cc defining LLVMFuzzerTestOneInput, one call of this
macro in BUILD.bazel, and seed files in corpus/<name>/.
"""

def hero_fuzz_target(name, srcs, deps = [], data = []):
    common_deps = deps + ["//tests/fuzz:fuzz_util"]
    native.cc_binary(
        name = name + "_fuzzer",
        testonly = True,
        srcs = srcs,
        deps = common_deps + select({
            "//tests/fuzz:fuzzing": [],
            "//conditions:default": ["//tests/fuzz:replay_main"],
        }),
        linkopts = select({
            "//tests/fuzz:fuzzing": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        data = data,
    )

    corpus = native.glob(["corpus/" + name + "/**"])
    regressions = native.glob(["regressions/" + name + "/**"])
    if not corpus:
        fail("hero_fuzz_target " + name + ": corpus/" + name + "/ is empty")
    args = ["tests/fuzz/corpus/" + name]
    if regressions:
        args.append("tests/fuzz/regressions/" + name)
    native.cc_test(
        name = name + "_replay_test",
        size = "small",
        srcs = srcs,
        deps = common_deps + ["//tests/fuzz:replay_main"],
        args = args,
        data = data + corpus + regressions,
    )
