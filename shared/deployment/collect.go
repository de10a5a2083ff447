package deployment

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/aimsaudit/aimsaudit/shared/awserr"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
)

// variant is one production or shadow variant of the audited endpoint
// configuration, with the model it serves.
type variant struct {
	name      string
	shadow    bool
	modelName string
	model     *modelView // nil when the variant names no model
}

// modelView is a SageMaker model as read, with the packages its
// containers name.
type modelView struct {
	name     string
	out      *sagemaker.DescribeModelOutput
	uri      string
	read     readResult
	packages []*packageView // distinct, in container order
}

// packageView is a model package a container names.
type packageView struct {
	name string // as the container names it
	pkg  *modelregistry.Package
	uri  string
	read readResult
	card *cardView // nil when none was found
	// cardSearch is set when the search for a card could not be made.
	cardSearch readResult
	cardNamed  bool // the package names its card in aims:model-card
}

// readResult says how a read of a resource went: found, missing (a
// result), or unknown because the auditor may not look.
type readResult struct {
	missing bool
	unknown string // why the resource could not be read; "" when it was
}

// read sorts an API error once: not found and access denied are results
// the checks judge; anything else stops the run so the event is retried.
func read(err error) (readResult, error) {
	switch {
	case err == nil:
		return readResult{}, nil
	case awserr.Classify(err) == awserr.NotFound:
		return readResult{missing: true}, nil
	case awserr.Classify(err) == awserr.AccessDenied:
		return readResult{unknown: "access denied: " + err.Error()}, nil
	default:
		return readResult{}, err
	}
}

// collectEndpoint keeps the endpoint and the audited configuration as
// evidence and lists the configuration's variants.
func (a *audit) collectEndpoint(ctx context.Context) error {
	uri, err := a.putJSON(ctx, "endpoint.json", a.endpoint)
	if err != nil {
		return fmt.Errorf("keep endpoint: %w", err)
	}
	a.endpointURI = uri
	cfg, err := a.check.SageMaker.DescribeEndpointConfig(ctx,
		&sagemaker.DescribeEndpointConfigInput{EndpointConfigName: aws.String(a.configName)})
	if err != nil {
		return fmt.Errorf("describe endpoint config %s: %w", a.configName, err)
	}
	a.config = cfg
	if a.configURI, err = a.putJSON(ctx, "endpoint-config.json", cfg); err != nil {
		return fmt.Errorf("keep endpoint config: %w", err)
	}
	for _, pv := range cfg.ProductionVariants {
		a.variants = append(a.variants, &variant{name: aws.ToString(pv.VariantName),
			modelName: aws.ToString(pv.ModelName)})
	}
	for _, pv := range cfg.ShadowProductionVariants {
		a.variants = append(a.variants, &variant{name: aws.ToString(pv.VariantName), shadow: true,
			modelName: aws.ToString(pv.ModelName)})
	}
	return nil
}

// collectModels reads each variant's model and the packages it names.
func (a *audit) collectModels(ctx context.Context) error {
	for _, v := range a.variants {
		if v.modelName == "" {
			continue
		}
		m, err := a.model(ctx, v.modelName)
		if err != nil {
			return err
		}
		v.model = m
	}
	return nil
}

func (a *audit) model(ctx context.Context, name string) (*modelView, error) {
	if m, ok := a.models[name]; ok {
		return m, nil
	}
	out, err := a.check.SageMaker.DescribeModel(ctx, &sagemaker.DescribeModelInput{
		ModelName: aws.String(name)})
	res, fatal := read(err)
	if fatal != nil {
		return nil, fmt.Errorf("describe model %s: %w", name, fatal)
	}
	m := &modelView{name: name, read: res}
	a.models[name] = m
	if err != nil {
		a.readErrors["model/"+name] = err.Error()
		return m, nil
	}
	m.out = out
	if m.uri, err = a.putJSON(ctx, "models/"+safeName(name)+".json", out); err != nil {
		return nil, fmt.Errorf("keep model %s: %w", name, err)
	}
	return m, a.collectPackages(ctx, m)
}

// collectPackages reads each distinct package the model's containers name.
func (a *audit) collectPackages(ctx context.Context, m *modelView) error {
	for _, c := range containers(m.out) {
		ref := aws.ToString(c.ModelPackageName)
		if ref == "" || m.names(ref) {
			continue
		}
		p, err := a.modelPackage(ctx, ref)
		if err != nil {
			return err
		}
		m.packages = append(m.packages, p)
	}
	return nil
}

func (m *modelView) names(ref string) bool {
	for _, p := range m.packages {
		if p.name == ref {
			return true
		}
	}
	return false
}

// containers lists a model's primary container and its pipeline
// containers, whichever it has.
func containers(out *sagemaker.DescribeModelOutput) []types.ContainerDefinition {
	var cs []types.ContainerDefinition
	if pc := out.PrimaryContainer; pc != nil && !emptyContainer(pc) {
		cs = append(cs, *pc)
	}
	return append(cs, out.Containers...)
}

func emptyContainer(c *types.ContainerDefinition) bool {
	return c.Image == nil && c.ModelDataUrl == nil && c.ModelPackageName == nil &&
		c.ModelDataSource == nil
}

func (a *audit) modelPackage(ctx context.Context, ref string) (*packageView, error) {
	if p, ok := a.packages[ref]; ok {
		return p, nil
	}
	pkg, err := modelregistry.Describe(ctx, a.check.SageMaker, ref)
	res, fatal := read(err)
	if fatal != nil {
		return nil, fatal
	}
	p := &packageView{name: ref, read: res}
	a.packages[ref] = p
	if err != nil {
		a.readErrors["model-package/"+ref] = err.Error()
		return p, nil
	}
	p.pkg = pkg
	name := fmt.Sprintf("model-packages/%s-%d.json", safeName(pkg.Group), pkg.Version)
	if p.uri, err = a.putJSON(ctx, name, pkg.Raw); err != nil {
		return nil, fmt.Errorf("keep model package %s: %w", pkg.ARN, err)
	}
	return p, nil
}

// collectCards finds the model card of every package read.
func (a *audit) collectCards(ctx context.Context) error {
	for _, ref := range a.packageOrder() {
		p := a.packages[ref]
		if p.pkg == nil {
			continue
		}
		if err := a.cardFor(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// packageOrder lists the packages read in the order variants name them,
// so evidence and lookups happen in a stable order.
func (a *audit) packageOrder() []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range a.variants {
		if v.model == nil {
			continue
		}
		for _, p := range v.model.packages {
			if !seen[p.name] {
				seen[p.name] = true
				out = append(out, p.name)
			}
		}
	}
	return out
}

// safeName turns a resource name or ARN into one evidence path segment.
func safeName(s string) string {
	r := strings.NewReplacer("/", "_", ":", "_", "\\", "_")
	s = r.Replace(s)
	if s == "" || s == "." || s == ".." {
		return "_" + s
	}
	return path.Clean(s)
}

// versionOf reads a JSON number or numeric string as a version.
func versionOf(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case string:
		n, _ := strconv.Atoi(x)
		return n
	}
	return 0
}
