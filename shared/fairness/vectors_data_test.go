package fairness

import "math"

// nan marks a value fairlearn computes as NaN (0/0); the engine must report
// it as undefined (nil).
var nan = math.NaN()

// fairlearnVectors holds inputs and the values fairlearn 0.14 computed for
// them, copied from the shared test vectors (v01..v10).
var fairlearnVectors = []fairlearnVector{
	{
		name:      "v01_two_groups_basic",
		yTrue:     []int{1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0},
		yPred:     []int{1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0},
		sensitive: []string{"group"},
		values: [][]string{
			{"A", "A", "A", "A", "A", "A", "A", "A", "B", "B", "B", "B", "B", "B", "B", "B"},
		},
		overall: [6]float64{
			0.375, 0.5714285714285714, 0.2222222222222222, 0.7777777777777778, 0.42857142857142855, 0.6875,
		},
		groups: []vectorGroup{
			{values: []string{"A"}, n: 8, weight: 8.0, rates: [6]float64{0.5, 0.75, 0.25, 0.75, 0.25, 0.75}},
			{values: []string{"B"}, n: 8, weight: 8.0, rates: [6]float64{
				0.25, 0.3333333333333333, 0.2, 0.8, 0.6666666666666666, 0.625,
			}},
		},
		metrics: map[string]float64{
			"demographic_parity_difference[method=between_groups]":            0.25,
			"demographic_parity_difference[method=to_overall]":                0.125,
			"demographic_parity_ratio[method=between_groups]":                 0.5,
			"demographic_parity_ratio[method=to_overall]":                     0.6666666666666666,
			"equal_opportunity_difference[method=between_groups]":             0.4166666666666667,
			"equal_opportunity_difference[method=to_overall]":                 0.23809523809523808,
			"equal_opportunity_ratio[method=between_groups]":                  0.4444444444444444,
			"equal_opportunity_ratio[method=to_overall]":                      0.5833333333333334,
			"equalized_odds_difference[method=between_groups,agg=worst_case]": 0.4166666666666667,
			"equalized_odds_difference[method=between_groups,agg=mean]":       0.23333333333333334,
			"equalized_odds_difference[method=to_overall,agg=worst_case]":     0.23809523809523808,
			"equalized_odds_difference[method=to_overall,agg=mean]":           0.13293650793650794,
			"equalized_odds_ratio[method=between_groups,agg=worst_case]":      0.4444444444444444,
			"equalized_odds_ratio[method=between_groups,agg=mean]":            0.6222222222222222,
			"equalized_odds_ratio[method=to_overall,agg=worst_case]":          0.5833333333333334,
			"equalized_odds_ratio[method=to_overall,agg=mean]":                0.7361111111111112,
		},
	},
	{
		name:      "v02_three_groups_int_codes",
		yTrue:     []int{1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0},
		yPred:     []int{1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0},
		sensitive: []string{"race"},
		values: [][]string{
			{
				"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "1", "1", "1", "1", "1", "1", "1", "2",
				"2", "2", "2", "2", "2",
			},
		},
		overall: [6]float64{
			0.5, 0.7272727272727273, 0.3076923076923077, 0.6923076923076923, 0.2727272727272727,
			0.7083333333333334,
		},
		groups: []vectorGroup{
			{values: []string{"0"}, n: 10, weight: 10.0, rates: [6]float64{0.5, 0.8, 0.2, 0.8, 0.2, 0.8}},
			{values: []string{"1"}, n: 8, weight: 8.0, rates: [6]float64{
				0.375, 0.5, 0.25, 0.75, 0.5, 0.625,
			}},
			{values: []string{"2"}, n: 6, weight: 6.0, rates: [6]float64{
				0.6666666666666666, 1.0, 0.5, 0.5, 0.0, 0.6666666666666666,
			}},
		},
		metrics: map[string]float64{
			"demographic_parity_difference[method=between_groups]":            0.29166666666666663,
			"demographic_parity_difference[method=to_overall]":                0.16666666666666663,
			"demographic_parity_ratio[method=between_groups]":                 0.5625,
			"demographic_parity_ratio[method=to_overall]":                     0.75,
			"equal_opportunity_difference[method=between_groups]":             0.5,
			"equal_opportunity_difference[method=to_overall]":                 0.2727272727272727,
			"equal_opportunity_ratio[method=between_groups]":                  0.5,
			"equal_opportunity_ratio[method=to_overall]":                      0.6875,
			"equalized_odds_difference[method=between_groups,agg=worst_case]": 0.5,
			"equalized_odds_difference[method=between_groups,agg=mean]":       0.4,
			"equalized_odds_difference[method=to_overall,agg=worst_case]":     0.2727272727272727,
			"equalized_odds_difference[method=to_overall,agg=mean]":           0.2325174825174825,
			"equalized_odds_ratio[method=between_groups,agg=worst_case]":      0.4,
			"equalized_odds_ratio[method=between_groups,agg=mean]":            0.45,
			"equalized_odds_ratio[method=to_overall,agg=worst_case]":          0.6153846153846154,
			"equalized_odds_ratio[method=to_overall,agg=mean]":                0.6514423076923077,
		},
	},
	{
		name:      "v03_four_groups_weighted",
		yTrue:     []int{1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0},
		yPred:     []int{1, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1},
		sensitive: []string{"grp"},
		values: [][]string{
			{
				"g1", "g1", "g1", "g1", "g1", "g1", "g2", "g2", "g2", "g2", "g2", "g2", "g3", "g3", "g3", "g3",
				"g3", "g3", "g4", "g4", "g4", "g4", "g4", "g4",
			},
		},
		weights: []float64{
			1.0, 2.0, 0.5, 1.5, 3.0, 1.0, 0.25, 1.0, 2.0, 1.0, 1.0, 4.0, 1.0, 1.0, 1.0, 2.5, 0.5, 1.0, 2.0,
			2.0, 0.75, 1.0, 1.25, 1.0,
		},
		overall: [6]float64{
			0.48872180451127817, 0.6896551724137931, 0.3333333333333333, 0.6666666666666666,
			0.3103448275862069, 0.6766917293233082,
		},
		groups: []vectorGroup{
			{values: []string{"g1"}, n: 6, weight: 9.0, rates: [6]float64{
				0.6111111111111112, 0.8888888888888888, 0.3333333333333333, 0.6666666666666666,
				0.1111111111111111, 0.7777777777777778,
			}},
			{values: []string{"g2"}, n: 6, weight: 9.25, rates: [6]float64{
				0.35135135135135137, 0.5555555555555556, 0.2857142857142857, 0.7142857142857143,
				0.4444444444444444, 0.6756756756756757,
			}},
			{values: []string{"g3"}, n: 6, weight: 7.0, rates: [6]float64{
				0.35714285714285715, 0.6666666666666666, 0.125, 0.875, 0.3333333333333333, 0.7857142857142857,
			}},
			{values: []string{"g4"}, n: 6, weight: 8.0, rates: [6]float64{
				0.625, 0.5789473684210527, 0.6923076923076923, 0.3076923076923077, 0.42105263157894735, 0.46875,
			}},
		},
		metrics: map[string]float64{
			"demographic_parity_difference[method=between_groups]":            0.27364864864864863,
			"demographic_parity_difference[method=to_overall]":                0.1373704531599268,
			"demographic_parity_ratio[method=between_groups]":                 0.5621621621621622,
			"demographic_parity_ratio[method=to_overall]":                     0.718918918918919,
			"equal_opportunity_difference[method=between_groups]":             0.33333333333333326,
			"equal_opportunity_difference[method=to_overall]":                 0.1992337164750957,
			"equal_opportunity_ratio[method=between_groups]":                  0.6250000000000001,
			"equal_opportunity_ratio[method=to_overall]":                      0.7758620689655173,
			"equalized_odds_difference[method=between_groups,agg=worst_case]": 0.5673076923076923,
			"equalized_odds_difference[method=between_groups,agg=mean]":       0.4503205128205128,
			"equalized_odds_difference[method=to_overall,agg=worst_case]":     0.358974358974359,
			"equalized_odds_difference[method=to_overall,agg=mean]":           0.27910403772472736,
			"equalized_odds_ratio[method=between_groups,agg=worst_case]":      0.18055555555555555,
			"equalized_odds_ratio[method=between_groups,agg=mean]":            0.40277777777777785,
			"equalized_odds_ratio[method=to_overall,agg=worst_case]":          0.375,
			"equalized_odds_ratio[method=to_overall,agg=mean]":                0.5754310344827587,
		},
	},
	{
		name:      "v04_intersectional_full",
		yTrue:     []int{1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0},
		yPred:     []int{1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0},
		sensitive: []string{"sex", "age"},
		values: [][]string{
			{
				"F", "F", "F", "F", "F", "F", "F", "F", "F", "F", "F", "F", "M", "M", "M", "M", "M", "M", "M",
				"M", "M", "M", "M", "M",
			},
			{
				"young", "young", "young", "young", "mid", "mid", "mid", "mid", "old", "old", "old", "old",
				"young", "young", "young", "young", "mid", "mid", "mid", "mid", "old", "old", "old", "old",
			},
		},
		overall: [6]float64{
			0.4583333333333333, 0.6666666666666666, 0.25, 0.75, 0.3333333333333333, 0.7083333333333334,
		},
		groups: []vectorGroup{
			{values: []string{"F", "mid"}, n: 4, weight: 4.0, rates: [6]float64{
				0.75, 1.0, 0.5, 0.5, 0.0, 0.75,
			}},
			{values: []string{"F", "old"}, n: 4, weight: 4.0, rates: [6]float64{
				0.75, 1.0, 0.5, 0.5, 0.0, 0.75,
			}},
			{values: []string{"F", "young"}, n: 4, weight: 4.0, rates: [6]float64{
				0.25, 0.5, 0.0, 1.0, 0.5, 0.75,
			}},
			{values: []string{"M", "mid"}, n: 4, weight: 4.0, rates: [6]float64{
				0.25, 0.0, 0.3333333333333333, 0.6666666666666666, 1.0, 0.5,
			}},
			{values: []string{"M", "old"}, n: 4, weight: 4.0, rates: [6]float64{
				0.5, 0.6666666666666666, 0.0, 1.0, 0.3333333333333333, 0.75,
			}},
			{values: []string{"M", "young"}, n: 4, weight: 4.0, rates: [6]float64{
				0.25, 0.5, 0.0, 1.0, 0.5, 0.75,
			}},
		},
		metrics: map[string]float64{
			"demographic_parity_difference[method=between_groups]":            0.5,
			"demographic_parity_difference[method=to_overall]":                0.2916666666666667,
			"demographic_parity_ratio[method=between_groups]":                 0.3333333333333333,
			"demographic_parity_ratio[method=to_overall]":                     0.5454545454545455,
			"equal_opportunity_difference[method=between_groups]":             1.0,
			"equal_opportunity_difference[method=to_overall]":                 0.6666666666666666,
			"equal_opportunity_ratio[method=between_groups]":                  0.0,
			"equal_opportunity_ratio[method=to_overall]":                      0.0,
			"equalized_odds_difference[method=between_groups,agg=worst_case]": 1.0,
			"equalized_odds_difference[method=between_groups,agg=mean]":       0.75,
			"equalized_odds_difference[method=to_overall,agg=worst_case]":     0.6666666666666666,
			"equalized_odds_difference[method=to_overall,agg=mean]":           0.4583333333333333,
			"equalized_odds_ratio[method=between_groups,agg=worst_case]":      0.0,
			"equalized_odds_ratio[method=between_groups,agg=mean]":            0.0,
			"equalized_odds_ratio[method=to_overall,agg=worst_case]":          0.0,
			"equalized_odds_ratio[method=to_overall,agg=mean]":                0.0,
		},
	},
	{
		name:      "v07_zero_selection_group",
		yTrue:     []int{1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0},
		yPred:     []int{1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0},
		sensitive: []string{"g"},
		values: [][]string{
			{"A", "A", "A", "A", "A", "A", "B", "B", "B", "B", "B", "B", "C", "C", "C", "C"},
		},
		overall: [6]float64{
			0.3125, 0.42857142857142855, 0.2222222222222222, 0.7777777777777778, 0.5714285714285714, 0.625,
		},
		groups: []vectorGroup{
			{values: []string{"A"}, n: 6, weight: 6.0, rates: [6]float64{
				0.5, 0.6666666666666666, 0.3333333333333333, 0.6666666666666666, 0.3333333333333333,
				0.6666666666666666,
			}},
			{values: []string{"B"}, n: 6, weight: 6.0, rates: [6]float64{
				0.0, 0.0, 0.0, 1.0, 1.0, 0.6666666666666666,
			}},
			{values: []string{"C"}, n: 4, weight: 4.0, rates: [6]float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}},
		},
		metrics: map[string]float64{
			"demographic_parity_difference[method=between_groups]":            0.5,
			"demographic_parity_difference[method=to_overall]":                0.3125,
			"demographic_parity_ratio[method=between_groups]":                 0.0,
			"demographic_parity_ratio[method=to_overall]":                     0.0,
			"equal_opportunity_difference[method=between_groups]":             0.6666666666666666,
			"equal_opportunity_difference[method=to_overall]":                 0.42857142857142855,
			"equal_opportunity_ratio[method=between_groups]":                  0.0,
			"equal_opportunity_ratio[method=to_overall]":                      0.0,
			"equalized_odds_difference[method=between_groups,agg=worst_case]": 0.6666666666666666,
			"equalized_odds_difference[method=between_groups,agg=mean]":       0.5833333333333333,
			"equalized_odds_difference[method=to_overall,agg=worst_case]":     0.42857142857142855,
			"equalized_odds_difference[method=to_overall,agg=mean]":           0.35317460317460314,
			"equalized_odds_ratio[method=between_groups,agg=worst_case]":      0.0,
			"equalized_odds_ratio[method=between_groups,agg=mean]":            0.0,
			"equalized_odds_ratio[method=to_overall,agg=worst_case]":          0.0,
			"equalized_odds_ratio[method=to_overall,agg=mean]":                0.0,
		},
	},
	{
		name:      "v08_all_predictions_negative",
		yTrue:     []int{1, 0, 1, 0, 0, 1, 0, 0, 1, 1},
		yPred:     []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		sensitive: []string{"g"},
		values: [][]string{
			{"A", "A", "A", "A", "A", "B", "B", "B", "B", "B"},
		},
		overall: [6]float64{0.0, 0.0, 0.0, 1.0, 1.0, 0.5},
		groups: []vectorGroup{
			{values: []string{"A"}, n: 5, weight: 5.0, rates: [6]float64{0.0, 0.0, 0.0, 1.0, 1.0, 0.6}},
			{values: []string{"B"}, n: 5, weight: 5.0, rates: [6]float64{0.0, 0.0, 0.0, 1.0, 1.0, 0.4}},
		},
		metrics: map[string]float64{
			"demographic_parity_difference[method=between_groups]":            0.0,
			"demographic_parity_difference[method=to_overall]":                0.0,
			"demographic_parity_ratio[method=between_groups]":                 nan,
			"demographic_parity_ratio[method=to_overall]":                     nan,
			"equal_opportunity_difference[method=between_groups]":             0.0,
			"equal_opportunity_difference[method=to_overall]":                 0.0,
			"equal_opportunity_ratio[method=between_groups]":                  nan,
			"equal_opportunity_ratio[method=to_overall]":                      nan,
			"equalized_odds_difference[method=between_groups,agg=worst_case]": 0.0,
			"equalized_odds_difference[method=between_groups,agg=mean]":       0.0,
			"equalized_odds_difference[method=to_overall,agg=worst_case]":     0.0,
			"equalized_odds_difference[method=to_overall,agg=mean]":           0.0,
			"equalized_odds_ratio[method=between_groups,agg=worst_case]":      nan,
			"equalized_odds_ratio[method=between_groups,agg=mean]":            nan,
			"equalized_odds_ratio[method=to_overall,agg=worst_case]":          nan,
			"equalized_odds_ratio[method=to_overall,agg=mean]":                nan,
		},
	},
	{
		name:      "v10_single_group_pm1_labels",
		yTrue:     []int{1, -1, 1, -1, 1, 1, -1, -1},
		yPred:     []int{1, -1, -1, -1, 1, 1, 1, -1},
		sensitive: []string{"g"},
		values: [][]string{
			{"only", "only", "only", "only", "only", "only", "only", "only"},
		},
		overall: [6]float64{0.5, 0.75, 0.25, 0.75, 0.25, 0.75},
		groups: []vectorGroup{
			{values: []string{"only"}, n: 8, weight: 8.0, rates: [6]float64{
				0.5, 0.75, 0.25, 0.75, 0.25, 0.75,
			}},
		},
		metrics: map[string]float64{
			"demographic_parity_difference[method=between_groups]":            0.0,
			"demographic_parity_difference[method=to_overall]":                0.0,
			"demographic_parity_ratio[method=between_groups]":                 1.0,
			"demographic_parity_ratio[method=to_overall]":                     1.0,
			"equal_opportunity_difference[method=between_groups]":             0.0,
			"equal_opportunity_difference[method=to_overall]":                 0.0,
			"equal_opportunity_ratio[method=between_groups]":                  1.0,
			"equal_opportunity_ratio[method=to_overall]":                      1.0,
			"equalized_odds_difference[method=between_groups,agg=worst_case]": 0.0,
			"equalized_odds_difference[method=between_groups,agg=mean]":       0.0,
			"equalized_odds_difference[method=to_overall,agg=worst_case]":     0.0,
			"equalized_odds_difference[method=to_overall,agg=mean]":           0.0,
			"equalized_odds_ratio[method=between_groups,agg=worst_case]":      1.0,
			"equalized_odds_ratio[method=between_groups,agg=mean]":            1.0,
			"equalized_odds_ratio[method=to_overall,agg=worst_case]":          1.0,
			"equalized_odds_ratio[method=to_overall,agg=mean]":                1.0,
		},
	},
}
