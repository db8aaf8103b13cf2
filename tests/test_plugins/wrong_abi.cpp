// Built against "future" headers: exports an ABI version this rxflow refuses.
#include <boost/dll/alias.hpp>
#include <cstdint>

extern "C" BOOST_SYMBOL_EXPORT std::uint32_t rxflow_plugin_abi_version() { return 999; }
