# Common settings for every target of the project: warnings are errors, and the
# sanitizer/fuzzer flags when the tree is configured for them.

set(BAUHINIA_WARNINGS
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  -Wmissing-declarations)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 at -O3 reports false positives in libstdc++'s own memcmp/memcpy
  # (GCC bugs 105651, 105329); clang in the sanitizer tree still checks bounds.
  list(APPEND BAUHINIA_WARNINGS -Wno-stringop-overread -Wno-stringop-overflow -Wno-restrict
       -Wno-array-bounds
       # GCC 12's -Wnull-dereference reports paths inside libstdc++ and Boost.Asio
       # at -O2 (std::string, streambuf); clang keeps the check in the sanitizer tree.
       -Wno-null-dereference)
endif()

if(BAUHINIA_SANITIZE)
  set(BAUHINIA_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options(${BAUHINIA_SANITIZER_FLAGS})
  add_link_options(${BAUHINIA_SANITIZER_FLAGS})
endif()

if(BAUHINIA_TSAN_ONLY)
  if(BAUHINIA_SANITIZE)
    message(FATAL_ERROR "BAUHINIA_TSAN_ONLY and BAUHINIA_SANITIZE (ASan) cannot be combined")
  endif()
  set(BAUHINIA_TSAN_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
  add_compile_options(${BAUHINIA_TSAN_FLAGS})
  add_link_options(${BAUHINIA_TSAN_FLAGS})
endif()

# In the fuzz tree every library of the project is built with libFuzzer's
# coverage instrumentation (edge counters and comparison hooks), so that the
# fuzzers are guided inside the modules they link, not only in the harness.
# Unit tests link the same libraries without libFuzzer: the sanitizer runtime
# supplies the coverage hooks, hence the fuzz tree must be a sanitizer tree.
set(BAUHINIA_COVERAGE_FLAGS "")
if(BAUHINIA_FUZZ)
  if(NOT BAUHINIA_SANITIZE)
    message(FATAL_ERROR "BAUHINIA_FUZZ=ON needs BAUHINIA_SANITIZE=ON (the asan preset): the "
                        "coverage-instrumented libraries take their hooks from the sanitizer runtime")
  endif()
  set(BAUHINIA_COVERAGE_FLAGS -fsanitize=fuzzer-no-link)
endif()

# bauhinia_module(NAME folder-name [SOURCES ...] [PUBLIC_LINKS ...] [PRIVATE_LINKS ...])
# Declares the library target bauhinia_<name> for one folder, exporting only
# <folder>/include. Sources default to every .cpp under src/ of the folder. Use
# PUBLIC_LINKS only for targets whose headers appear in this module's headers.
function(bauhinia_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;PUBLIC_LINKS;PRIVATE_LINKS" ${ARGN})
  if(NOT M_SOURCES)
    file(GLOB_RECURSE M_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp)
  endif()
  add_library(bauhinia_${M_NAME} STATIC ${M_SOURCES})
  target_include_directories(bauhinia_${M_NAME} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(bauhinia_${M_NAME} PUBLIC ${M_PUBLIC_LINKS} PRIVATE ${M_PRIVATE_LINKS})
  target_compile_options(bauhinia_${M_NAME} PRIVATE ${BAUHINIA_WARNINGS} ${BAUHINIA_COVERAGE_FLAGS})
endfunction()

# bauhinia_test(NAME n SOURCES ... LINKS ... [LABELS ...] [TIMEOUT s])
# A GoogleTest executable registered with ctest under the given labels
# (unit, integration, sim, fuzz).
function(bauhinia_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LINKS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LINKS} GTest::gtest GTest::gtest_main)
  target_compile_options(${T_NAME} PRIVATE ${BAUHINIA_WARNINGS})
  # The paths reach the tests through the environment (set by ctest), not as
  # compile definitions, so that an object does not depend on where the tree
  # was cloned and ccache can reuse it across clones (scripts/test.sh).
  target_compile_definitions(${T_NAME} PRIVATE
    "BAUHINIA_SOURCE_DIR=(std::getenv(\"BAUHINIA_SOURCE_DIR\") ? std::getenv(\"BAUHINIA_SOURCE_DIR\") : \".\")")
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} --gtest_brief=1)
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "BAUHINIA_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# bauhinia_test_folder(PREFIX p LINKS ... [LABELS ...] [TIMEOUT s] [EXCLUDE stem ...])
# One test executable per *_test.cpp in the current folder, named <p>_<file stem>,
# so that a file's tests build and fail on their own. EXCLUDE names file stems
# that are not built in this tree (the TSan tree leaves out its slowest tests).
function(bauhinia_test_folder)
  cmake_parse_arguments(F "" "PREFIX;TIMEOUT" "LINKS;LABELS;EXCLUDE" ${ARGN})
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  foreach(t IN LISTS tests)
    get_filename_component(stem ${t} NAME_WE)
    if(stem IN_LIST F_EXCLUDE)
      continue()
    endif()
    bauhinia_test(NAME ${F_PREFIX}_${stem} SOURCES ${t} LINKS ${F_LINKS}
                  LABELS ${F_LABELS} TIMEOUT ${F_TIMEOUT})
  endforeach()
endfunction()
