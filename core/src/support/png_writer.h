// A minimal PNG encoder for the generated images: 8-bit grayscale, one
// IDAT chunk whose zlib stream uses stored (uncompressed) deflate blocks.
// Valid PNG that every browser reads; no compression library needed, and no
// process to start. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rxflow {

// pixels row-major (height, width), values in [0, 1] mapped to 0..255
// (rounded, clamped). Returns the file's bytes.
std::string encode_grayscale_png(const std::vector<double>& pixels, int height, int width);

}  // namespace rxflow
