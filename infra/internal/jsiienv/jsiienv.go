// Package jsiienv quiets the jsii kernel's end-of-life banner for Node 20,
// the Node these machines and CI run. Import it for its side effect, before
// any CDK package:
//
//	import _ "github.com/aimsaudit/aimsaudit/infra/internal/jsiienv"
//
// The kernel (a Node process) starts while the CDK packages initialize, so
// setting the variable in main or TestMain is too late. Go initializes
// packages in import-path order once their imports are ready, and this
// path sorts before github.com/aws/..., so this init runs first. A value
// already set in the environment is left as it is.
package jsiienv

import "os"

const silenceVar = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"

func init() {
	if _, set := os.LookupEnv(silenceVar); !set {
		os.Setenv(silenceVar, "20")
	}
}
