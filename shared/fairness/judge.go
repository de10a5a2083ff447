package fairness

// metricField pairs a fairness metric's JSON name with its value in Metrics.
type metricField struct {
	name  string
	value **float64
}

func metricFields(m *Metrics) []metricField {
	return []metricField{
		{"demographic_parity_difference", &m.DemographicParityDifference},
		{"demographic_parity_ratio", &m.DemographicParityRatio},
		{"equalized_odds_difference", &m.EqualizedOddsDifference},
		{"equalized_odds_ratio", &m.EqualizedOddsRatio},
		{"equal_opportunity_difference", &m.EqualOpportunityDifference},
		{"equal_opportunity_ratio", &m.EqualOpportunityRatio},
	}
}
