package stack

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// secretNamePattern is Secrets Manager's name rule; "*" and "?" are not in
// it, so a name cannot widen the GetSecretValue grant.
var secretNamePattern = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)

// validateAzure checks the settings the Azure functions share: the names
// of the two secrets and the ARM endpoint, naming the context key at
// fault.
func (p AimsAuditStackProps) validateAzure() error {
	if err := validateSecretName(CtxAzureCredentialsSecret, p.AzureCredentialsSecret); err != nil {
		return err
	}
	if err := validateSecretName(CtxEventGridSecret, p.EventGridSecret); err != nil {
		return err
	}
	if p.AzureARMEndpoint != "" {
		return validateHTTPSURL(CtxAzureARMEndpoint, p.AzureARMEndpoint)
	}
	return nil
}

// validateSecretName accepts an empty name (the stack makes the secret) or
// a secret name; an ARN is refused, since the grant is built from a name.
func validateSecretName(key, name string) error {
	switch {
	case name == "":
		return nil
	case strings.HasPrefix(name, "arn:"):
		return fmt.Errorf("%s: %q, want the secret's name, not its ARN", key, name)
	case !secretNamePattern.MatchString(name):
		return fmt.Errorf("%s: %q is not a Secrets Manager secret name", key, name)
	}
	return nil
}

// validateHTTPSURL accepts an https URL of a host, without credentials,
// query or fragment: the functions send their Azure tokens there.
func validateHTTPSURL(key, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%s: %q, want an https URL such as "+
			"https://management.usgovcloudapi.net", key, raw)
	}
	return nil
}
