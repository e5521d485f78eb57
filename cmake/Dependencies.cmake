# Every third-party library comes from Debian's packages, found here and never vendored.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(CRYPTOPP REQUIRED IMPORTED_TARGET libcrypto++)
find_package(leveldb REQUIRED)
# Debian's leveldb config asks consumers to link "snappy", which needs
# libsnappy-dev; libleveldb.so already depends on libsnappy.so.1 itself, so
# without the dev package the plain name is dropped (storage engineer).
find_library(BAUHINIA_SNAPPY_LIBRARY snappy)
if(NOT BAUHINIA_SNAPPY_LIBRARY)
  set_property(TARGET leveldb::leveldb PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
find_package(Threads REQUIRED)
find_package(GTest REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
if(BAUHINIA_BENCH AND NOT BAUHINIA_ONLY_UNIT)
  find_package(benchmark REQUIRED)
endif()
