# rxflow_check_includes(ROOT PATTERN FOLDER [PATTERN FOLDER ...])
# Stops the configure step when a source file under ROOT includes a header
# matching PATTERN outside ROOT/FOLDER: the rule that only the spec folder
# includes TOML++, only the store HDF5, only the loader Boost.DLL
# (design.md), kept by the build rather than by review.
function(rxflow_check_includes root)
  file(GLOB_RECURSE sources RELATIVE ${root} ${root}/*.h ${root}/*.cpp)
  set(rules ${ARGN})
  list(LENGTH rules count)
  math(EXPR last "${count} - 1")
  foreach(i RANGE 0 ${last} 2)
    math(EXPR j "${i} + 1")
    list(GET rules ${i} pattern)
    list(GET rules ${j} folder)
    foreach(source ${sources})
      if(source MATCHES "^${folder}/")
        continue()
      endif()
      file(STRINGS ${root}/${source} hits REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](${pattern})")
      if(hits)
        message(FATAL_ERROR "core/src/${source} includes ${hits}: only core/src/${folder}/ may "
                            "include these headers (core/CMakeLists.txt)")
      endif()
    endforeach()
  endforeach()
endfunction()
