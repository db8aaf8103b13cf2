// RXFLOW_PLUGIN(Class): the one line that makes a MODULE library an rxflow
// plugin. It exports the ABI version the host checks before anything else
// and a factory through BOOST_DLL_ALIAS. Use it once per library, in the
// plugin's *_stage.cpp.
#pragma once

#include <boost/dll/alias.hpp>
#include <cstdint>
#include <memory>

#include "rxflow/plugin.h"

namespace rxflow {

// Raised whenever a header change breaks plugins built against older headers.
inline constexpr std::uint32_t kAbiVersion = 1;

using PluginFactory = std::unique_ptr<Plugin>();

}  // namespace rxflow

#define RXFLOW_PLUGIN(PluginClass)                                           \
  namespace {                                                                \
  std::unique_ptr<::rxflow::Plugin> rxflow_make_plugin() {                   \
    return std::make_unique<PluginClass>();                                  \
  }                                                                          \
  }                                                                          \
  extern "C" BOOST_SYMBOL_EXPORT std::uint32_t rxflow_plugin_abi_version() { \
    return ::rxflow::kAbiVersion;                                            \
  }                                                                          \
  BOOST_DLL_ALIAS(rxflow_make_plugin, rxflow_create_plugin)
