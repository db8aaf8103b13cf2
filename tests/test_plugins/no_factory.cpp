// Declares the right ABI version but exports no factory.
#include <boost/dll/alias.hpp>
#include <cstdint>

#include "rxflow/plugin_registration.h"

extern "C" BOOST_SYMBOL_EXPORT std::uint32_t rxflow_plugin_abi_version() {
  return rxflow::kAbiVersion;
}
extern "C" BOOST_SYMBOL_EXPORT std::uint64_t rxflow_plugin_abi_fingerprint() {
  return rxflow::abi_fingerprint();
}
