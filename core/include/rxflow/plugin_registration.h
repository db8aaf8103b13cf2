// RXFLOW_PLUGIN(Class): the one line that makes a MODULE library an rxflow
// plugin. It exports the ABI version and the ABI fingerprint the host
// checks before anything else, and a factory through BOOST_DLL_ALIAS. Use it
// once per library, in the plugin's *_stage.cpp.
#pragma once

#include <boost/dll/alias.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "rxflow/plugin.h"

namespace rxflow {

// Raised whenever the headers change what a plugin and the host must agree
// on: a plugin built against older headers, or newer ones, is refused with
// a message instead of calling what the other side does not have.
inline constexpr std::uint32_t kAbiVersion = 3;

// What else must agree between the host and a plugin for the classes of
// these headers to mean the same bytes on both sides: the C++ ABI of the
// compiler and standard library, and the sizes of the types that cross the
// boundary. Evaluated in the plugin's build and in the host's; the loader
// refuses a plugin whose value differs (FNV-1a over the numbers below).
constexpr std::uint64_t abi_fingerprint() {
  const std::uint64_t facts[] = {
#ifdef __GXX_ABI_VERSION
      __GXX_ABI_VERSION,
#else
      0,
#endif
#ifdef _GLIBCXX_USE_CXX11_ABI
      _GLIBCXX_USE_CXX11_ABI,
#else
      2,
#endif
      sizeof(void*),          sizeof(std::string), sizeof(std::vector<double>),
      sizeof(ParamValue),     sizeof(Artifact),    sizeof(PortSpec),
      sizeof(ParamSpec),      sizeof(ParamRow),    sizeof(KindContract),
      sizeof(PluginInfo),     sizeof(RunInfo),     sizeof(Rng),
  };
  std::uint64_t hash = 14695981039346656037ull;
  for (std::uint64_t fact : facts) {
    for (int byte = 0; byte < 8; ++byte) {
      hash = (hash ^ ((fact >> (8 * byte)) & 0xff)) * 1099511628211ull;
    }
  }
  return hash;
}

using PluginFactory = std::unique_ptr<Plugin>();

}  // namespace rxflow

#define RXFLOW_PLUGIN(PluginClass)                                               \
  namespace {                                                                    \
  std::unique_ptr<::rxflow::Plugin> rxflow_make_plugin() {                       \
    return std::make_unique<PluginClass>();                                      \
  }                                                                              \
  }                                                                              \
  extern "C" BOOST_SYMBOL_EXPORT std::uint32_t rxflow_plugin_abi_version() {     \
    return ::rxflow::kAbiVersion;                                                \
  }                                                                              \
  extern "C" BOOST_SYMBOL_EXPORT std::uint64_t rxflow_plugin_abi_fingerprint() { \
    return ::rxflow::abi_fingerprint();                                          \
  }                                                                              \
  BOOST_DLL_ALIAS(rxflow_make_plugin, rxflow_create_plugin)
