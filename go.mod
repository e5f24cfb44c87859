module github.com/verbatim-bot/verbatim

go 1.26.8

require (
	github.com/neurosnap/sentences v1.1.2
	github.com/yuin/goldmark v1.8.7
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/text v0.44.0
)
