// Test runner: prints the library version and Catch's random seed, so a failing randomised test can
// be replayed with --rng-seed.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <iostream>

#include <imbalance/version.hpp>

int main(int argc, char* argv[]) {
  Catch::Session session;
  const int status = session.applyCommandLine(argc, argv);
  if (status != 0) return status;
  if (!session.configData().listTestNamesOnly)
    std::cout << "imbalance " << imbalance::version::string << ", Catch2 rng seed " << session.config().rngSeed()
              << "\n";
  return session.run();
}
