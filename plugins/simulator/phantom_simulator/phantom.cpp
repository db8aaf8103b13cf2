#include "phantom.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace rxflow::phantom {
namespace {

constexpr double kOutline = 0.65, kOrgan = 0.12, kSpine = 0.85;
constexpr double kOutlineWidth = 1.5;
// Organs, in units of the body's semi-axes: centres at (+-0.45, -0.1), semi-axes
// (0.28, 0.55) times organ_scale. The spine: centre (0, 0.62), radius 0.13.
constexpr double kOrganU = 0.45, kOrganV = -0.1, kOrganA = 0.28, kOrganB = 0.55;
constexpr double kSpineV = 0.62, kSpineRadius = 0.13;

double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

// The share of a pixel inside a shape, from its signed distance to the edge
// (negative inside): a linear ramp one pixel wide.
double coverage(double signed_distance) { return clamp01(0.5 - signed_distance); }

// Approximate signed distance (pixels) to an ellipse with semi-axes a, b
// centred at the origin.
double ellipse_distance(double u, double v, double a, double b) {
  const double rho = std::sqrt((u / a) * (u / a) + (v / b) * (v / b));
  return (rho - 1.0) * std::sqrt(a * b);
}

}  // namespace

PhantomDrivers drivers_of(const double* features, double response) {
  // Columns: age_norm, weight_norm, gender (3), genetic_marker, comorbidity.
  return {clamp01(features[0]), clamp01(features[1]), clamp01(features[5]), clamp01(features[6]),
          clamp01(response)};
}

double lesion_severity(const PhantomDrivers& d) {
  return clamp01(0.6 * (1.0 - d.response) + 0.25 * d.comorbidity + 0.15 * d.genetic_marker);
}

Lesion lesion_of(const PhantomDrivers& drivers, const LesionRange& range) {
  Lesion lesion;
  lesion.severity = lesion_severity(drivers);
  lesion.radius = range.min_radius + (range.max_radius - range.min_radius) * lesion.severity;
  lesion.contrast =
      range.min_contrast + (range.max_contrast - range.min_contrast) *
                               (0.7 * (1.0 - drivers.response) + 0.3 * drivers.age_norm);
  return lesion;
}

Anatomy draw_anatomy(const PhantomDrivers& drivers, Rng& rng) {
  Anatomy a;
  a.center_x = 32.0 + std::clamp(rng.normal(), -2.0, 2.0);
  a.center_y = 32.0 + std::clamp(rng.normal(), -2.0, 2.0);
  a.half_width = 19.0 + 8.0 * drivers.weight_norm + std::clamp(rng.normal(), -1.0, 1.0);
  a.half_height = 14.0 + 5.0 * drivers.weight_norm + std::clamp(rng.normal(), -1.0, 1.0);
  a.angle = rng.uniform(-0.2, 0.2);
  a.organ_scale = rng.uniform(0.9, 1.1);
  a.lesion_side = rng.bernoulli(0.5) ? 1 : -1;
  const double theta = rng.uniform(0.0, 2.0 * std::numbers::pi);
  const double distance = 0.5 * std::sqrt(rng.uniform());
  a.lesion_u = distance * std::cos(theta);
  a.lesion_v = distance * std::sin(theta);
  return a;
}

void render(const Anatomy& anatomy, const PhantomDrivers& drivers, const Lesion& lesion,
            double noise_sd, Rng* noise_rng, double* out) {
  const double cos_a = std::cos(anatomy.angle), sin_a = std::sin(anatomy.angle);
  const double hw = anatomy.half_width, hh = anatomy.half_height;
  const double organ_a = kOrganA * hw * anatomy.organ_scale;
  const double organ_b = kOrganB * hh * anatomy.organ_scale;
  const double organ_v = kOrganV * hh;
  const double spine_v = kSpineV * hh, spine_radius = kSpineRadius * hh;
  const double lesion_u = anatomy.lesion_side * kOrganU * hw + anatomy.lesion_u * organ_a;
  const double lesion_v = organ_v + anatomy.lesion_v * organ_b;
  const double tissue = 0.30 + 0.15 * drivers.age_norm;
  for (int i = 0; i < kImageSize; ++i) {
    for (int j = 0; j < kImageSize; ++j) {
      // The pixel's centre in the body's frame.
      const double x = j + 0.5 - anatomy.center_x, y = i + 0.5 - anatomy.center_y;
      const double u = x * cos_a + y * sin_a, v = -x * sin_a + y * cos_a;
      const double body_distance = ellipse_distance(u, v, hw, hh);
      const double body = coverage(body_distance);
      const double inner = coverage(body_distance + kOutlineWidth);
      double value = tissue * inner + kOutline * (body - inner);
      for (int side : {-1, 1}) {
        const double organ =
            coverage(ellipse_distance(u - side * kOrganU * hw, v - organ_v, organ_a, organ_b));
        value = value * (1.0 - organ) + kOrgan * organ;
      }
      const double spine = coverage(std::hypot(u, v - spine_v) - spine_radius);
      value = value * (1.0 - spine) + kSpine * spine;
      value += lesion.contrast * coverage(std::hypot(u - lesion_u, v - lesion_v) - lesion.radius);
      out[i * kImageSize + j] = value;
    }
  }
  for (int p = 0; p < kPixels; ++p) {
    if (noise_rng != nullptr) out[p] += noise_rng->normal(0.0, noise_sd);
    out[p] = clamp01(out[p]);
  }
}

std::vector<double> simulate_phantom(const PhantomDrivers& drivers, const PhantomConfig& config,
                                     Rng& rng) {
  const Anatomy anatomy = draw_anatomy(drivers, rng);
  std::vector<double> image(kPixels);
  render(anatomy, drivers, lesion_of(drivers, config.lesion), config.noise_sd, &rng, image.data());
  return image;
}

}  // namespace rxflow::phantom
