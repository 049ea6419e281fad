// The 20-line program of issue 30, through the umbrella header: synthetic long-tailed data, the
// focal loss, 5 epochs of the trainer, predictions, balanced accuracy.
#include <cstdio>

#include <imbalance/imbalance.hpp>

int main() {
  imbalance::SyntheticOptions data_options;
  const imbalance::Dataset data = imbalance::make_synthetic_long_tailed(data_options, 7);
  const imbalance::FocalLoss loss(data.train_counts.size());
  imbalance::TrainerOptions options;
  options.epochs = 5;
  imbalance::SoftmaxClassifier model;
  model.fit(data.train_x, data.train_y, loss, options);
  const Eigen::VectorXi predicted = model.predict(data.test_x);
  const double score = imbalance::balanced_accuracy(data.test_y, predicted, data.train_counts.size());
  std::printf("balanced accuracy %.4f\n", score);
  return 0;
}
