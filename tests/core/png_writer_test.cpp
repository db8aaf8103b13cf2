// The PNG encoder against checksums from Python's zlib (crc32, adler32),
// an independent implementation, for a 3 x 2 image.
#include "support/png_writer.h"

#include <catch2/catch.hpp>

namespace rxflow {
namespace {

std::uint32_t read_u32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<std::uint8_t>(bytes[at + i]);
  return value;
}

TEST_CASE("grayscale PNG: signature, header, stored scanlines and checksums", "[report]") {
  // 0.5 -> 128, 1.3 clamps to 255, -0.2 to 0, 0.25 -> 64, 0.75 -> 191.
  const std::string png = encode_grayscale_png({0.0, 0.5, 1.3, -0.2, 0.25, 0.75}, 2, 3);
  REQUIRE(png.substr(0, 8) == "\x89PNG\r\n\x1a\n");
  CHECK(read_u32(png, 8) == 13);
  CHECK(png.substr(12, 4) == "IHDR");
  CHECK(read_u32(png, 16) == 3);            // width
  CHECK(read_u32(png, 20) == 2);            // height
  CHECK(read_u32(png, 29) == 0xb81f39c6u);  // CRC of the IHDR chunk, zlib.crc32
  CHECK(png.substr(37, 4) == "IDAT");
  const std::string zlib = png.substr(41, read_u32(png, 33));
  // header, one final stored block of 8 bytes, the scanlines, Adler-32.
  CHECK(zlib.substr(0, 3) == std::string("\x78\x01\x01", 3));
  CHECK(zlib.substr(7, 8) == std::string("\x00\x00\x80\xff\x00\x00\x40\xbf", 8));
  CHECK(read_u32(zlib, 15) == 0x0942027fu);  // zlib.adler32
  CHECK(png.substr(png.size() - 8, 4) == "IEND");
  CHECK(read_u32(png, png.size() - 4) == 0xae426082u);  // zlib.crc32(b"IEND")
}

}  // namespace
}  // namespace rxflow
