#include "nn/batch_norm2d.h"

#include <cassert>

namespace rxflow::nn {

template <typename T>
BatchNorm2d<T>::BatchNorm2d(int channels, double eps, double momentum)
    : BatchNorm1d<T>(channels, eps, momentum), channels_(channels) {}

template <typename T>
void BatchNorm2d<T>::to_pixel_rows(const Matrix<T>& in, Matrix<T>& rows) const {
  assert(in.cols() % channels_ == 0);
  const Eigen::Index pixels = in.cols() / channels_;
  rows.resize(in.rows() * pixels, channels_);
  for (Eigen::Index b = 0; b < in.rows(); ++b) {
    for (Eigen::Index c = 0; c < channels_; ++c) {
      const T* from = in.row(b).data() + c * pixels;
      for (Eigen::Index p = 0; p < pixels; ++p) rows(b * pixels + p, c) = from[p];
    }
  }
}

template <typename T>
void BatchNorm2d<T>::from_pixel_rows(const Matrix<T>& rows, Eigen::Index batch,
                                     Matrix<T>& out) const {
  const Eigen::Index pixels = rows.rows() / batch;
  out.resize(batch, channels_ * pixels);
  for (Eigen::Index b = 0; b < batch; ++b) {
    for (Eigen::Index c = 0; c < channels_; ++c) {
      T* to = out.row(b).data() + c * pixels;
      for (Eigen::Index p = 0; p < pixels; ++p) to[p] = rows(b * pixels + p, c);
    }
  }
}

template <typename T>
const Matrix<T>& BatchNorm2d<T>::forward(const Matrix<T>& in, bool training) {
  to_pixel_rows(in, rows_);
  from_pixel_rows(BatchNorm1d<T>::forward(rows_, training), in.rows(), output_);
  return output_;
}

template <typename T>
const Matrix<T>& BatchNorm2d<T>::backward(const Matrix<T>& d_out) {
  to_pixel_rows(d_out, d_rows_);
  from_pixel_rows(BatchNorm1d<T>::backward(d_rows_), d_out.rows(), d_input_);
  return d_input_;
}

template class BatchNorm2d<float>;
template class BatchNorm2d<double>;

}  // namespace rxflow::nn
