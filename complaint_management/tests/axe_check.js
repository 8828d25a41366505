// axe-core check run by test_portal_browser.py in headless Chromium, after
// axe.min.js: no serious or critical violation on the complaint form, empty
// and after a refused submission; <html> has the expected lang and dir.
(async () => {
    const expected = __EXPECTED__;
    const options = {
        runOnly: {
            type: "tag",
            values: [
                "wcag2a",
                "wcag2aa",
                "wcag21a",
                "wcag21aa",
                "wcag22aa",
                "best-practice",
            ],
        },
    };
    const problems = [];
    async function check(label) {
        const result = await axe.run(document, options);
        for (const violation of result.violations) {
            if (["serious", "critical"].includes(violation.impact)) {
                const nodes = violation.nodes
                    .slice(0, 5)
                    .map((node) => node.target.join(" "));
                problems.push(
                    `${label}: ${violation.id} (${violation.impact}) ${violation.help}: ` +
                        nodes.join(", ")
                );
            }
        }
    }
    const html = document.documentElement;
    if (html.lang !== expected.lang || html.dir !== expected.dir) {
        problems.push(
            `html lang/dir are ${html.lang}/${html.dir}, ` +
                `expected ${expected.lang}/${expected.dir}`
        );
    }
    await check("empty form");
    // Send the empty form and check the page with its error messages.
    const form = document.querySelector("form.o_complaint_form");
    const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
    });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    document.querySelector("main").innerHTML = page.querySelector("main").innerHTML;
    if (!document.querySelector("#complaint_error_summary li")) {
        problems.push("no error summary after sending the empty form");
    }
    const subjectSelector =
        "#complaint_subject[aria-invalid=true][aria-describedby~=complaint_subject_error]";
    if (!document.querySelector(subjectSelector)) {
        problems.push("the subject error is not bound to its input");
    }
    await check("form with errors");
    if (problems.length) {
        console.error(
            `Accessibility problems on ${location.pathname}:\n${problems.join("\n")}`
        );
    } else {
        console.log("test successful");
    }
})();
