# rxflow_add_plugin(NAME SOURCES...)
# Builds the plugin NAME as the MODULE library rxflow-NAME.so, linked to
# rxflow::api. In rxflow's own tree it lands in the built-in plugin folder
# and is installed with rxflow; elsewhere it is built where CMake puts it,
# and `rxflow --plugin-path DIR` finds it.
function(rxflow_add_plugin name)
  set(target rxflow_plugin_${name})
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE rxflow::api)
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "rxflow-${name}" SUFFIX ".so"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED RXFLOW_BUILTIN_PLUGIN_DIR)
    set_target_properties(${target} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY ${RXFLOW_BUILTIN_PLUGIN_DIR}
      INSTALL_RPATH "$ORIGIN/../..")
    install(TARGETS ${target} LIBRARY DESTINATION ${RXFLOW_INSTALL_PLUGIN_DIR})
  endif()
endfunction()
