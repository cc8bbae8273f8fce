"""hero_proto: C++ (and optionally gRPC) code for one .proto, from Debian's protoc.

Bazel 4.2.3's native proto rules want to build protoc from source; hero uses
the system `protoc` and `grpc_cpp_plugin` instead, so the build stays offline.

    hero_proto(name = "program_proto", src = "program.proto")
    hero_proto(name = "worker_proto", src = "worker.proto",
               deps = [":program_proto"], grpc = True)

Generates `<name>` (a cc_library) whose headers are included as
"proto/<file>.pb.h" (and "proto/<file>.grpc.pb.h" with grpc = True).
`deps` are other hero_proto targets whose .proto files `src` imports.
"""

def hero_proto(name, src, deps = [], grpc = False, visibility = None):
    base = src[:-len(".proto")]
    outs = [base + ".pb.h", base + ".pb.cc"]
    if grpc:
        outs += [base + ".grpc.pb.h", base + ".grpc.pb.cc"]
    dep_srcs = [d + "_srcs" for d in deps]

    native.filegroup(
        name = name + "_srcs",
        srcs = [src] + dep_srcs,
        visibility = visibility,
    )

    cmd = "protoc --proto_path=. --cpp_out=$(GENDIR) "
    if grpc:
        cmd += ("--grpc_out=$(GENDIR) " +
                "--plugin=protoc-gen-grpc=$$(command -v grpc_cpp_plugin) ")
    cmd += "$(location " + src + ")"

    native.genrule(
        name = name + "_gen",
        srcs = [src] + dep_srcs,
        outs = outs,
        cmd = cmd,
        message = "protoc " + src,
    )

    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        deps = deps + ["@system//:protobuf"] + (["@system//:grpc"] if grpc else []),
        visibility = visibility,
    )
