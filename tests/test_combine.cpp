#include <catch2/catch.hpp>

#include <imbalance/combine/smote_then_clean.hpp>

#include "support/sampling_data.hpp"

TEST_CASE("SMOTETomek and SMOTEENN: SMOTE then cleaning of all classes", "[sampling][combine]") {
  const auto data = test_support::labelled_points({150, 30, 20}, 2, 12, 1.0);
  const auto smote = imbalance::SMOTE().fit_resample(data.X, data.y, 5);
  {
    const auto out = imbalance::SMOTETomek().fit_resample(data.X, data.y, 5);
    imbalance::TomekLinksOptions all;
    all.sampling_strategy = imbalance::SamplingStrategy::Named::All;
    const auto expected = imbalance::TomekLinks(all).fit_resample(smote.X, smote.y);
    CHECK(out.X.rows() == expected.X.rows());
    CHECK((out.X - expected.X).cwiseAbs().maxCoeff() == 0.0);
    CHECK(out.X.rows() < smote.X.rows());
  }
  {
    const auto out = imbalance::SMOTEENN().fit_resample(data.X, data.y, 5);
    imbalance::EditedNearestNeighboursOptions all;
    all.sampling_strategy = imbalance::SamplingStrategy::Named::All;
    const auto expected = imbalance::EditedNearestNeighbours(all).fit_resample(smote.X, smote.y);
    CHECK((out.X - expected.X).cwiseAbs().maxCoeff() == 0.0);
    CHECK((out.y.array() == expected.y.array()).all());
    CHECK(out.change_per_class.count(0) == 1);
  }
}
