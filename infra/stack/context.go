package stack

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Context keys read by PropsFromContext (`cdk synth -c key=value`, the
// `context` of a cdk.json, or CDK_CONTEXT_JSON when run without the CLI).
const (
	CtxRegisterURI           = "registerUri"
	CtxEvaluationBuckets     = "evaluationBuckets"
	CtxModelPackageGroups    = "modelPackageGroups"
	CtxDryRun                = "dryRun"
	CtxAlertBusName          = "alertBusName"
	CtxEvidenceRetentionDays = "evidenceRetentionDays"
	CtxEvidenceLockMode      = "evidenceLockMode"
	CtxPromotionGateAsset    = "promotionGateAsset"

	CtxEndpoints              = "endpoints"
	CtxDeploymentCheckAsset   = "deploymentCheckAsset"
	CtxSweepSchedule          = "sweepSchedule"
	CtxTargets                = "targets"
	CtxAzureSubscriptions     = "azureSubscriptions"
	CtxAzureCredentialsSecret = "azureCredentialsSecret"
	CtxPostureSweepAsset      = "postureSweepAsset"

	CtxEventGridSecret  = "eventGridSecret"
	CtxAzureARMEndpoint = "azureArmEndpoint"
	CtxAzureEventsAsset = "azureEventsAsset"
)

// ContextLookup returns the context value of a key, nil when unset. The CLI
// passes `-c` values as strings; a cdk.json may hold any JSON value.
type ContextLookup func(key string) any

// PropsFromContext builds stack props from CDK context. A relative asset
// path is taken from root (the repository root), so that the app works from
// any working directory. The result is validated.
func PropsFromContext(lookup ContextLookup, root string) (AimsAuditStackProps, error) {
	r := contextReader{lookup: lookup}
	p := AimsAuditStackProps{
		RegisterURI:           r.string(CtxRegisterURI),
		EvaluationBuckets:     r.list(CtxEvaluationBuckets),
		ModelPackageGroups:    r.list(CtxModelPackageGroups),
		DryRun:                r.bool(CtxDryRun),
		AlertBusName:          r.string(CtxAlertBusName),
		EvidenceRetentionDays: r.int(CtxEvidenceRetentionDays),
		EvidenceLockMode:      LockMode(strings.ToUpper(r.string(CtxEvidenceLockMode))),
		PromotionGateAsset:    r.string(CtxPromotionGateAsset),

		Endpoints:              r.list(CtxEndpoints),
		DeploymentCheckAsset:   r.string(CtxDeploymentCheckAsset),
		SweepSchedule:          r.string(CtxSweepSchedule),
		Targets:                r.targets(CtxTargets),
		AzureSubscriptions:     r.list(CtxAzureSubscriptions),
		AzureCredentialsSecret: r.string(CtxAzureCredentialsSecret),
		PostureSweepAsset:      r.string(CtxPostureSweepAsset),

		EventGridSecret:  r.string(CtxEventGridSecret),
		AzureARMEndpoint: r.string(CtxAzureARMEndpoint),
		AzureEventsAsset: r.string(CtxAzureEventsAsset),
	}
	if r.err != nil {
		return AimsAuditStackProps{}, r.err
	}

	d := p.withDefaults()
	p.PromotionGateAsset = resolveFrom(root, d.PromotionGateAsset)
	p.DeploymentCheckAsset = resolveFrom(root, d.DeploymentCheckAsset)
	p.PostureSweepAsset = resolveFrom(root, d.PostureSweepAsset)
	p.AzureEventsAsset = resolveFrom(root, d.AzureEventsAsset)
	if err := p.Validate(); err != nil {
		return AimsAuditStackProps{}, err
	}
	return p, nil
}

// contextReader keeps the first error, so that reading every key stays one
// line per key.
type contextReader struct {
	lookup ContextLookup
	err    error
}

func (r *contextReader) string(key string) string {
	return keep(r, contextString, key)
}

func (r *contextReader) list(key string) []string {
	return keep(r, contextList, key)
}

func (r *contextReader) bool(key string) bool {
	return keep(r, contextBool, key)
}

func (r *contextReader) int(key string) int {
	return keep(r, contextInt, key)
}

func (r *contextReader) targets(key string) []SweepTarget {
	return keep(r, contextTargets, key)
}

func keep[T any](r *contextReader, read func(ContextLookup, string) (T, error), key string) T {
	var zero T
	if r.err != nil {
		return zero
	}
	v, err := read(r.lookup, key)
	r.err = err
	return v
}

func resolveFrom(root, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(root, path)
}

func contextString(lookup ContextLookup, key string) (string, error) {
	switch v := lookup(key).(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(v), nil
	default:
		return "", fmt.Errorf("context %s: got %T, want a string", key, v)
	}
}

// contextList accepts "a,b" (as `-c` passes it) or a JSON array of strings.
func contextList(lookup ContextLookup, key string) ([]string, error) {
	var items []string
	switch v := lookup(key).(type) {
	case nil:
		return nil, nil
	case string:
		items = strings.Split(v, ",")
	case []any:
		for i, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("context %s[%d]: got %T, want a string", key, i, item)
			}
			items = append(items, s)
		}
	default:
		return nil, fmt.Errorf("context %s: got %T, want a comma-separated string", key, v)
	}
	var out []string
	for _, item := range items {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out, nil
}

func contextBool(lookup ContextLookup, key string) (bool, error) {
	switch v := lookup(key).(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return false, fmt.Errorf("context %s: %q, want true or false", key, v)
		}
		return b, nil
	default:
		return false, fmt.Errorf("context %s: got %T, want true or false", key, v)
	}
}

func contextInt(lookup ContextLookup, key string) (int, error) {
	switch v := lookup(key).(type) {
	case nil:
		return 0, nil
	case float64:
		if v != float64(int(v)) {
			return 0, fmt.Errorf("context %s: %v, want a whole number", key, v)
		}
		return int(v), nil
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, fmt.Errorf("context %s: %q, want a whole number", key, v)
		}
		return n, nil
	default:
		return 0, fmt.Errorf("context %s: got %T, want a whole number", key, v)
	}
}

// contextTargets accepts the targets as a JSON string (as `-c` passes it)
// or as the JSON list itself (as a cdk.json holds it).
func contextTargets(lookup ContextLookup, key string) ([]SweepTarget, error) {
	var raw []byte
	switch v := lookup(key).(type) {
	case nil:
		return nil, nil
	case string:
		if strings.TrimSpace(v) == "" {
			return nil, nil
		}
		raw = []byte(v)
	case []any:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("context %s: %w", key, err)
		}
		raw = b
	default:
		return nil, fmt.Errorf("context %s: got %T, want a JSON list", key, v)
	}
	return decodeTargets(key, raw)
}
