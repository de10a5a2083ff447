// Package register holds the demo estate's AI system register: the credit
// scoring system and its impact assessment, as the JSON documents a GRC team
// keeps in git. The seed uploads them; local runs can also point
// AIMS_REGISTER_URI at this folder.
package register

import "embed"

// Docs holds systems/*.json and assessments/*.json, named as they are laid
// out under the register prefix.
//
//go:embed systems/*.json assessments/*.json
var Docs embed.FS
