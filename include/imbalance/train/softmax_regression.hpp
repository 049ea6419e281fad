#pragma once
/// @file
/// The former path of train/softmax_classifier.hpp (SoftmaxRegression is now SoftmaxClassifier; the
/// old name is a deprecated alias there). Include train/softmax_classifier.hpp.

#include "imbalance/train/softmax_classifier.hpp"
