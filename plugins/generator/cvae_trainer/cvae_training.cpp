#include "cvae_training.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace rxflow::cvae {
namespace {

std::vector<Eigen::Index> shuffled_rows(Eigen::Index n, Rng& rng) {
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  for (std::size_t i = order.size(); i-- > 1;) {
    std::swap(order[i], order[static_cast<std::size_t>(rng.uniform_int(i + 1))]);
  }
  return order;
}

template <typename T>
nn::Matrix<T> gather_rows(const nn::Matrix<T>& m, const std::vector<Eigen::Index>& rows,
                          std::size_t begin, std::size_t end) {
  nn::Matrix<T> out(static_cast<Eigen::Index>(end - begin), m.cols());
  for (std::size_t i = begin; i < end; ++i) {
    out.row(static_cast<Eigen::Index>(i - begin)) = m.row(rows[i]);
  }
  return out;
}

}  // namespace

template <typename T>
Quality measure_quality(ConditionalVae<T>& model, const nn::Matrix<T>& images,
                        const nn::Matrix<T>& conditions, const TrainingOptions& options) {
  Quality quality;
  const Eigen::Index rows = std::min<Eigen::Index>(options.evaluation_rows, images.rows());
  if (rows > 0) {
    const nn::Matrix<double> reconstruction =
        model.reconstruct(images.topRows(rows), conditions.topRows(rows)).template cast<double>();
    quality.reconstruction_mse =
        (reconstruction - images.topRows(rows).template cast<double>()).squaredNorm() /
        static_cast<double>(rows * kPixels);
  }
  const Eigen::Index spread_rows = std::min<Eigen::Index>(options.spread_conditions, images.rows());
  if (spread_rows > 1) {
    nn::Matrix<T> latents =
        nn::Matrix<T>::Zero(spread_rows, model.latent_dim() + conditions.cols());
    latents.rightCols(conditions.cols()) = conditions.topRows(spread_rows);
    const nn::Matrix<double> decoded = model.decoder().forward(latents).template cast<double>();
    double total = 0;
    for (Eigen::Index p = 0; p < decoded.cols(); ++p) {
      const double mean = decoded.col(p).mean();
      total += std::sqrt((decoded.col(p).array() - mean).square().sum() /
                         static_cast<double>(spread_rows));
    }
    quality.condition_spread = total / static_cast<double>(decoded.cols());
  }
  return quality;
}

template <typename T>
TrainingLog train(ConditionalVae<T>& model, const nn::Matrix<double>& input_images,
                  const nn::Matrix<double>& input_conditions, const TrainingOptions& options,
                  Rng& rng) {
  if (input_images.rows() == 0 || input_images.rows() != input_conditions.rows() ||
      input_images.cols() != kPixels) {
    throw std::invalid_argument("training needs one 64 x 64 image per condition row, got " +
                                std::to_string(input_images.rows()) + " images of " +
                                std::to_string(input_images.cols()) + " pixels and " +
                                std::to_string(input_conditions.rows()) + " conditions");
  }
  const nn::Matrix<T> images = input_images.template cast<T>();
  const nn::Matrix<T> conditions = input_conditions.template cast<T>();
  model.reset_parameters(rng);
  nn::Adam<T> adam(model.parameters(), options.adam);
  TrainingLog log;
  log.quality.push_back(measure_quality(model, images, conditions, options));
  const auto n = static_cast<std::size_t>(images.rows());
  const auto batch_size = static_cast<std::size_t>(options.batch_size);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    const std::vector<Eigen::Index> order = shuffled_rows(images.rows(), rng);
    LossTerms sums;
    for (std::size_t begin = 0; begin < n; begin += batch_size) {
      const std::size_t end = std::min(n, begin + batch_size);
      nn::Matrix<T> eps(static_cast<Eigen::Index>(end - begin), model.latent_dim());
      for (Eigen::Index i = 0; i < eps.size(); ++i) eps.data()[i] = static_cast<T>(rng.normal());
      model.zero_grad();
      const LossTerms terms =
          model.forward(gather_rows(images, order, begin, end),
                        gather_rows(conditions, order, begin, end), eps, options.beta);
      model.backward();
      adam.step();
      const auto weight = static_cast<double>(end - begin);
      sums.reconstruction += terms.reconstruction * weight;
      sums.kl += terms.kl * weight;
      sums.total += terms.total * weight;
    }
    const auto rows = static_cast<double>(n);
    log.epochs.push_back({sums.reconstruction / rows, sums.kl / rows, sums.total / rows});
    log.quality.push_back(measure_quality(model, images, conditions, options));
    if (options.after_epoch) options.after_epoch();
  }
  return log;
}

template TrainingLog train(ConditionalVae<float>&, const nn::Matrix<double>&,
                           const nn::Matrix<double>&, const TrainingOptions&, Rng&);
template TrainingLog train(ConditionalVae<double>&, const nn::Matrix<double>&,
                           const nn::Matrix<double>&, const TrainingOptions&, Rng&);
template Quality measure_quality(ConditionalVae<float>&, const nn::Matrix<float>&,
                                 const nn::Matrix<float>&, const TrainingOptions&);
template Quality measure_quality(ConditionalVae<double>&, const nn::Matrix<double>&,
                                 const nn::Matrix<double>&, const TrainingOptions&);

}  // namespace rxflow::cvae
