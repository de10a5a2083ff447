// Package register reads the AI system register: the JSON documents in which
// GRC and MLOps teams declare each AI system, its performance envelope and its
// impact assessments. Functions judge what they observe against it.
package register

import "time"

// System is one AI system of the register.
type System struct {
	ID               string           `json:"id"`
	Name             string           `json:"name"`
	Owner            string           `json:"owner"`
	SageMaker        SageMaker        `json:"sagemaker"`
	AzureML          *AzureML         `json:"azureml,omitempty"`
	Evaluation       Evaluation       `json:"evaluation"`
	Envelope         []Bound          `json:"envelope"`
	Deployment       *Deployment      `json:"deployment,omitempty"`
	ImpactAssessment ImpactAssessment `json:"impactAssessment"`
	Storage          []string         `json:"storage"`
}

// SageMaker names what the system owns in SageMaker.
type SageMaker struct {
	ModelPackageGroups []string `json:"modelPackageGroups"`
	Endpoints          []string `json:"endpoints"`
}

// AzureML names what the system owns in an Azure ML workspace.
type AzureML struct {
	SubscriptionID string   `json:"subscriptionId"`
	ResourceGroup  string   `json:"resourceGroup"`
	Workspace      string   `json:"workspace"`
	Models         []string `json:"models"`
	Endpoints      []string `json:"endpoints"`
}

// Evaluation says how to read the system's evaluation predictions.
type Evaluation struct {
	Label           string     `json:"label"`
	Prediction      string     `json:"prediction"`
	Positive        string     `json:"positive"`
	Weight          *string    `json:"weight"`
	Sensitive       [][]string `json:"sensitive"`
	MinGroupSize    int        `json:"minGroupSize"`
	Facet           *Facet     `json:"facet,omitempty"`
	ClaimsTolerance float64    `json:"claimsTolerance"`
}

// Facet is the group Clarify-style metrics compare against the rest.
type Facet struct {
	Column string `json:"column"`
	Value  string `json:"value"`
}

// Bound is one limit of the performance envelope. A bound with Column is a
// drift bound, judged by the drift checks rather than the promotion gate.
type Bound struct {
	Metric    string     `json:"metric"`
	Min       *float64   `json:"min,omitempty"`
	Max       *float64   `json:"max,omitempty"`
	Sensitive [][]string `json:"sensitive,omitempty"`
	Method    string     `json:"method,omitempty"`
	Agg       string     `json:"agg,omitempty"`
	Column    string     `json:"column,omitempty"`
}

// Deployment states what a serving endpoint must have switched on.
type Deployment struct {
	RequireKMS              bool         `json:"requireKms"`
	RequireNetworkIsolation bool         `json:"requireNetworkIsolation"`
	MonitoringTypes         []string     `json:"monitoringTypes"`
	Azure                   *AzureDeploy `json:"azure,omitempty"`
}

// AzureDeploy holds the Azure ML endpoint expectations.
type AzureDeploy struct {
	PublicNetworkAccess string `json:"publicNetworkAccess"`
	AllowKeyAuth        bool   `json:"allowKeyAuth"`
}

// ImpactAssessment holds the system's review policy.
type ImpactAssessment struct {
	ReviewIntervalDays int `json:"reviewIntervalDays"`
}

// Assessment is one impact assessment document.
type Assessment struct {
	ID            string    `json:"id"`
	System        string    `json:"system"`
	Status        string    `json:"status"`
	ApprovedBy    string    `json:"approvedBy"`
	ApprovedAt    time.Time `json:"approvedAt"`
	NextReviewDue string    `json:"nextReviewDue"`
	Covers        Covers    `json:"covers"`
	Document      string    `json:"document"`
}

// Covers says which model versions an assessment was made for.
type Covers struct {
	ModelPackageGroup string        `json:"modelPackageGroup"`
	Versions          []int         `json:"versions"`
	AzureML           *AzureCovered `json:"azureml,omitempty"`
}

// AzureCovered lists the Azure ML model versions an assessment covers.
type AzureCovered struct {
	Workspace string `json:"workspace"`
	Model     string `json:"model"`
	Versions  []int  `json:"versions"`
}
