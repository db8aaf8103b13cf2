#include "support/png_writer.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace rxflow {
namespace {

std::uint32_t crc32(const std::string& bytes, std::size_t begin) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xffffffffu;
  for (std::size_t i = begin; i < bytes.size(); ++i)
    c = table[(c ^ static_cast<std::uint8_t>(bytes[i])) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

void put_u32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((value >> shift) & 0xff));
}

void put_chunk(std::string& png, const char* type, const std::string& data) {
  put_u32(png, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = png.size();
  png += type;
  png += data;
  put_u32(png, crc32(png, start));
}

}  // namespace

std::string encode_grayscale_png(const std::vector<double>& pixels, int height, int width) {
  // Raw scanlines: filter byte 0, then one byte per pixel.
  std::string raw;
  for (int r = 0; r < height; ++r) {
    raw.push_back('\0');
    for (int c = 0; c < width; ++c) {
      const double v = std::clamp(pixels[static_cast<std::size_t>(r * width + c)], 0.0, 1.0);
      raw.push_back(static_cast<char>(static_cast<std::uint8_t>(std::lround(v * 255.0))));
    }
  }
  // zlib: header, stored blocks of at most 65535 bytes, Adler-32.
  std::string zlib = "\x78\x01";
  for (std::size_t at = 0; at < raw.size() || at == 0; at += 65535) {
    const std::size_t length = std::min<std::size_t>(65535, raw.size() - at);
    zlib.push_back(at + length >= raw.size() ? '\x01' : '\x00');
    zlib.push_back(static_cast<char>(length & 0xff));
    zlib.push_back(static_cast<char>(length >> 8));
    zlib.push_back(static_cast<char>(~length & 0xff));
    zlib.push_back(static_cast<char>((~length >> 8) & 0xff));
    zlib.append(raw, at, length);
    if (raw.empty()) break;
  }
  std::uint32_t a = 1, b = 0;
  for (char byte : raw) {
    a = (a + static_cast<std::uint8_t>(byte)) % 65521;
    b = (b + a) % 65521;
  }
  put_u32(zlib, (b << 16) | a);

  std::string header;
  put_u32(header, static_cast<std::uint32_t>(width));
  put_u32(header, static_cast<std::uint32_t>(height));
  header +=
      std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grayscale, deflate, no filter, no interlace
  std::string png = "\x89PNG\r\n\x1a\n";
  put_chunk(png, "IHDR", header);
  put_chunk(png, "IDAT", zlib);
  put_chunk(png, "IEND", "");
  return png;
}

}  // namespace rxflow
