// The kinds of stage rxflow ships plugins for, as contracts (rxflow/kind.h).
// A plugin of one of these kinds names it in its description
// (`kinds::embedding()`); a plugin of a new kind writes its own
// KindContract. Pure functions; thread-safe.
#pragma once

#include "rxflow/kind.h"

namespace rxflow::kinds {

// The questions a run answers: one row per request, named by request_ids.
inline KindContract requests() {
  return {"requests", {}, {{"request_ids", DType::kString, 1, "one id per request"}}};
}

inline KindContract embedding() {
  return {"embedding",
          {},
          {{"drug_names", DType::kString, 1, "drug of each embedding row"},
           {"embeddings", DType::kFloat64, 2, "one row per drug (n_drugs, width)"},
           {"request_embeddings", DType::kFloat64, 2, "the drug row of each request"},
           {"unknown_drugs", DType::kString, 1, "requested drugs with a generated embedding"}}};
}

inline KindContract simulator() {
  return {"simulator",
          {},
          {{"features", DType::kFloat64, 2, "patient features (n, k)"},
           {"labels", DType::kInt64, 1, "outcome 0/1 of each patient"},
           {"drug", DType::kInt64, 1, "embedding row of each patient's drug"},
           {"request_features", DType::kFloat64, 2, "the requests' features, alike"}}};
}

inline KindContract classifier() {
  return {"classifier",
          {},
          {{"validation_labels", DType::kInt64, 1, "labels of the validation fold"},
           {"validation_probabilities", DType::kFloat64, 1, "predictions on it"},
           {"test_labels", DType::kInt64, 1, "labels of the test fold"},
           {"test_probabilities", DType::kFloat64, 1, "predictions on it"},
           {"p0", DType::kFloat64, 1, "predicted probability of each request"}}};
}

inline KindContract calibrator() {
  return {"calibrator",
          {},
          {{"calibrated_test_probabilities", DType::kFloat64, 1, "the test fold, calibrated"},
           {"calibrated_p0", DType::kFloat64, 1, "each request's probability, calibrated"}}};
}

inline KindContract evaluator() { return {"evaluator", {}, {}}; }

inline KindContract generator() {
  return {"generator", {}, {{"images", DType::kFloat64, 3, "one image per request"}}};
}

inline KindContract reporter() { return {"reporter", {}, {}, true}; }

}  // namespace rxflow::kinds
