package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// sdkTokens is what sdk-tokens.ts finds in the @pulumi/openstack package.
type sdkTokens struct {
	Resources []string `json:"resources"` // "openstack:compute/instance:Instance"
	Functions []string `json:"functions"` // "openstack:networking/getNetwork:getNetwork"
}

// The SDK names a few Terraform modules otherwise.
var sdkModuleOf = map[string]string{"lb": "loadbalancer", "fw": "firewall", "db": "database"}

// The SDK's names that no rule gives (two are the SDK's own typos); the
// token itself is still looked up in the SDK's list.
var sdkNameOf = map[string]string{
	"openstack_blockstorage_quotaset_v3":               "QuoteSetV3",
	"openstack_objectstorage_object_v1":                "ContainerObject",
	"openstack_sharedfilesystem_availability_zones_v2": "AvailbilityZones",
}

var terraformName = regexp.MustCompile(`^openstack_([a-z0-9]+)_([a-z0-9_]+?)(_v[0-9]+)?$`)

// tokenMatcher gives each Terraform name the SDK token of the same thing:
// the SDK's words differ from Terraform's (secgroup -> SecGroup) and some
// names keep their version suffix, so names are compared lowercased without
// underscores, in the SDK module of the same name (or "index").
type tokenMatcher struct {
	prefix  string            // "get" for functions
	byKey   map[string]string // "module/lowercasename" -> SDK token
	taken   map[string]string // SDK token -> Terraform name it went to
	clashes []string
}

func newTokenMatcher(sdk []string, prefix string) *tokenMatcher {
	m := &tokenMatcher{prefix: prefix, byKey: map[string]string{}, taken: map[string]string{}}
	for _, token := range sdk {
		parts := strings.Split(token, ":") // openstack, module/member, Name
		if len(parts) != 3 {
			continue
		}
		module := strings.SplitN(parts[1], "/", 2)[0]
		name := strings.ToLower(strings.TrimPrefix(parts[2], prefix))
		m.byKey[module+"/"+name] = token
	}
	return m
}

// tokenFor returns the SDK's token for a Terraform name, or a token of our
// own (Terraform's module and the name in PascalCase, version kept) for what the
// SDK does not know.
func (m *tokenMatcher) tokenFor(tfName string) string {
	parts := terraformName.FindStringSubmatch(tfName)
	if parts == nil {
		m.clashes = append(m.clashes, fmt.Sprintf("%s: not an openstack_<module>_<name> name", tfName))
		return "openstack:index/" + tfName + ":" + tfName
	}
	tfModule, rest, version := parts[1], strings.ReplaceAll(parts[2], "_", ""), strings.TrimPrefix(parts[3], "_")
	module := tfModule
	if alias, ok := sdkModuleOf[tfModule]; ok {
		module = alias
	}
	// With the version before without it: fw_policy_v2 is the SDK's
	// index/getFwPolicyV2, while its firewall/getPolicy was fw_policy_v1.
	candidates := []string{
		module + "/" + rest + version, "index/" + tfModule + rest + version,
		module + "/" + tfModule + rest + version, module + "/" + rest,
		module + "/" + tfModule + rest, "index/" + tfModule + rest,
	}
	if name, ok := sdkNameOf[tfName]; ok {
		candidates = []string{module + "/" + strings.ToLower(name)}
	}
	for _, key := range candidates {
		if token, ok := m.byKey[key]; ok {
			if other, used := m.taken[token]; used {
				m.clashes = append(m.clashes, fmt.Sprintf("%s and %s both match %s", other, tfName, token))
				continue
			}
			m.taken[token] = tfName
			return token
		}
	}
	name := m.prefix + pascal(parts[2]+parts[3])
	member := strings.ToLower(name[:1]) + name[1:]
	if m.prefix != "" {
		member = name
	}
	// Terraform's own module word: lb_* and loadbalancer_* aliases stay apart.
	token := "openstack:" + tfModule + "/" + member + ":" + name
	if other, used := m.taken[token]; used {
		m.clashes = append(m.clashes, fmt.Sprintf("%s and %s both get %s", other, tfName, token))
	}
	m.taken[token] = tfName
	return token
}

func (m *tokenMatcher) err() error {
	if len(m.clashes) == 0 {
		return nil
	}
	sort.Strings(m.clashes)
	return fmt.Errorf("token mapping: %s", strings.Join(m.clashes, "; "))
}

// pascal turns "floatingip_associate_v2" into "FloatingipAssociateV2".
func pascal(snake string) string {
	var b strings.Builder
	for _, word := range strings.Split(snake, "_") {
		if word != "" {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}
