// Parsing --workers lists, the loopback rule and the system resolver.
#include "src/distributed/targets.h"

#include "gtest/gtest.h"

namespace hero {
namespace {

TEST(TargetsTest, ParsesHostPortAndDnsTargets) {
  absl::StatusOr<std::vector<WorkerTarget>> t = ParseWorkerTargets(
      "127.0.0.1:50051, dns:///hero-workers.search.svc.cluster.local:50051,"
      "[::1]:7,w-3.example:1");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 4u);
  EXPECT_FALSE((*t)[0].dns);
  EXPECT_EQ((*t)[0].host, "127.0.0.1");
  EXPECT_EQ((*t)[0].port, 50051);
  EXPECT_TRUE((*t)[1].dns);
  EXPECT_EQ((*t)[1].host, "hero-workers.search.svc.cluster.local");
  EXPECT_EQ((*t)[1].spec, "dns:///hero-workers.search.svc.cluster.local:50051");
  EXPECT_EQ((*t)[2].host, "::1");
  EXPECT_EQ(HostPort((*t)[2].host, (*t)[2].port), "[::1]:7");
  EXPECT_EQ((*t)[3].host, "w-3.example");
}

TEST(TargetsTest, RejectsBadEntriesByName) {
  struct Case {
    const char* list;
    const char* message;
  };
  for (const Case& c : {
           Case{"", "--workers is empty"},
           Case{"localhost",
                "--workers: `localhost` is not host:port or "
                "dns:///name:port"},
           Case{"a:0", "--workers: `a:0` is not host:port or dns:///name:port"},
           Case{"a:70000",
                "--workers: `a:70000` is not host:port or "
                "dns:///name:port"},
           Case{"a:1x",
                "--workers: `a:1x` is not host:port or "
                "dns:///name:port"},
           Case{"::1:5",
                "--workers: `::1:5` is not host:port or "
                "dns:///name:port"},
           Case{"http://a:1",
                "--workers: `http://a:1`: expected host:port or "
                "dns:///name:port (the only scheme)"},
           Case{"a:1,a:1", "--workers: `a:1` is listed twice"},
           Case{"a b:1",
                "--workers: `a b:1` is not host:port or "
                "dns:///name:port"},
       }) {
    absl::StatusOr<std::vector<WorkerTarget>> t = ParseWorkerTargets(c.list);
    ASSERT_FALSE(t.ok()) << c.list;
    EXPECT_EQ(t.status().message(), c.message);
  }
}

TEST(TargetsTest, Loopback) {
  for (const char* h :
       {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1"}) {
    EXPECT_TRUE(IsLoopbackHost(h)) << h;
  }
  for (const char* h : {"0.0.0.0", "10.0.0.1", "128.0.0.1", "::", "example.com",
                        "localhost.example.com", "::ffff:127.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackHost(h)) << h;
  }
}

TEST(TargetsTest, SystemResolverFindsLocalhost) {
  absl::StatusOr<std::vector<std::string>> a = SystemResolver()("127.0.0.1", 5);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, std::vector<std::string>({"127.0.0.1:5"}));
  absl::StatusOr<std::vector<std::string>> l = SystemResolver()("localhost", 9);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_NE(std::find(l->begin(), l->end(), "127.0.0.1:9"), l->end());
}

}  // namespace
}  // namespace hero
