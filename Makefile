.PHONY: demo test lint wheels
demo:  ## serve a demo instance on http://localhost:8069
	bash setup/demo.sh
test:  ## run every test; prints "N passed, N failed"
	bash setup/test.sh
lint:
	bash setup/lint.sh
wheels:
	bash setup/build_wheels.sh
