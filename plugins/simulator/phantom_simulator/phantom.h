// Synthetic 64 x 64 grayscale "phantoms": a cartoon of a body cross-section
// whose lesion grows and brightens with documented functions of the
// patient's features and its eq. 1 response (docs/plugins/
// phantom_simulator.md). They are training data for an image generator,
// not medical images, and say nothing about any disease.
//
// A phantom is the patient's drivers (PhantomDrivers), a random anatomy
// drawn from an Rng in a fixed order (draw_anatomy), a lesion that follows
// from the drivers alone (lesion_of), and pixel noise drawn after the
// anatomy (render). Pure functions of their arguments; thread-safe.
#pragma once

#include <vector>

#include "rxflow/rng.h"

namespace rxflow::phantom {

inline constexpr int kImageSize = 64;
inline constexpr int kPixels = kImageSize * kImageSize;

// What a phantom depends on, each in [0, 1]: four of the patient's
// normalized features and the eq. 1 response (success probability) s.
struct PhantomDrivers {
  double age_norm = 0;
  double weight_norm = 0;
  double genetic_marker = 0;
  double comorbidity = 0;
  double response = 0;
};

// The drivers of a row of normalized features (cohort::feature_column_names
// order) and its response, each clamped to [0, 1].
PhantomDrivers drivers_of(const double* features, double response);

// The lesion's range; radius in pixels, contrast in intensity units.
struct LesionRange {
  double min_radius = 2.0;
  double max_radius = 9.0;
  double min_contrast = 0.15;
  double max_contrast = 0.6;
};

struct Lesion {
  double severity = 0;  // in [0, 1]
  double radius = 0;    // pixels
  double contrast = 0;  // added to the intensity inside the lesion
};

// severity = 0.6 (1 - response) + 0.25 comorbidity + 0.15 genetic_marker
double lesion_severity(const PhantomDrivers& drivers);
// radius = min_radius + (max_radius - min_radius) severity
// contrast = min_contrast + (max_contrast - min_contrast) (0.7 (1 - response) + 0.3 age_norm)
Lesion lesion_of(const PhantomDrivers& drivers, const LesionRange& range);

// The random part of a phantom, in pixels (x to the right, y down, the
// image's centre at (32, 32)) and radians.
struct Anatomy {
  double center_x = 32, center_y = 32;
  double half_width = 23, half_height = 16;  // the body ellipse's semi-axes
  double angle = 0;                          // the body's rotation
  double organ_scale = 1;                    // both organs' size factor
  int lesion_side = 1;                       // -1: the left organ, +1: the right
  double lesion_u = 0, lesion_v = 0;         // in the organ's unit disc
};

// Draws, in this order: centre x and y offsets normal() clamped to [-2, 2];
// half_width 19 + 8 weight_norm and half_height 14 + 5 weight_norm, each
// plus normal() clamped to [-1, 1]; angle uniform(-0.2, 0.2); organ_scale
// uniform(0.9, 1.1); lesion side bernoulli(0.5) (right when true); the
// lesion's place in its organ: angle uniform(0, 2 pi), distance from the
// organ's centre 0.5 sqrt(uniform()).
Anatomy draw_anatomy(const PhantomDrivers& drivers, Rng& rng);

// The phantom without noise (noise_rng null) or with noise_sd normal()
// added to every pixel in row-major order, drawn from noise_rng; clamped to
// [0, 1]. out: kPixels values, row-major. Tissue intensity is 0.30 + 0.15
// age_norm, the body's 1.5-pixel outline 0.65, the two organs 0.12, the
// spine 0.85; the lesion adds its contrast. Edges are antialiased over one
// pixel.
void render(const Anatomy& anatomy, const PhantomDrivers& drivers, const Lesion& lesion,
            double noise_sd, Rng* noise_rng, double* out);

struct PhantomConfig {
  LesionRange lesion;
  double noise_sd = 0.02;
};

// draw_anatomy, lesion_of, then render with noise, all from rng.
std::vector<double> simulate_phantom(const PhantomDrivers& drivers, const PhantomConfig& config,
                                     Rng& rng);

}  // namespace rxflow::phantom
