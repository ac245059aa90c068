// Reads declarative Jenkinsfiles with the real Groovy runtime and prints, as JSON, the tree of DSL
// calls each one makes: {"file": [{"name": ..., "args": [...], "children": [...]}, ...]}.
// Nothing runs: a step only records its arguments as Groovy evaluated them (so a test sees the
// exact text `sh` would get). Used by the test suite to check the pipelines' structure.
// Usage: java -cp '<npm-groovy-lint>/lib/java/groovy/lib/*' groovy.ui.GroovyMain jenkinsfile-model.groovy FILE...
import groovy.json.JsonOutput
import org.codehaus.groovy.control.CompilerConfiguration

abstract class PipelineRecorder extends Script {
    List calls = []

    Object methodMissing(String name, Object args) {
        List arguments = (args as List).collect { it }
        Closure body = arguments && arguments[-1] instanceof Closure ? (Closure) arguments.remove(arguments.size() - 1) : null
        Map call = [name: name, args: arguments.collect { plain(it) }, children: []]
        this.@calls << call
        if (body != null) {
            List outer = this.@calls
            this.@calls = call.children
            body.resolveStrategy = Closure.DELEGATE_FIRST
            body.delegate = this
            body.call()
            this.@calls = outer
        }
        if (name == 'sh' && arguments && arguments[0] instanceof Map && arguments[0].returnStatus) {
            return 0
        }
        return [call: name, args: call.args]
    }

    void setProperty(String name, Object value) {
        this.@calls << [name: '=', args: [name, plain(value)], children: []]
    }

    Object getProperty(String name) {
        return name
    }

    List recorded() {
        return this.@calls
    }

    static Object plain(Object value) {
        if (value instanceof Map) {
            return value.collectEntries { k, v -> [(k.toString()): plain(v)] }
        }
        if (value instanceof List) {
            return value.collect { plain(it) }
        }
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean || value == null) {
            return value instanceof CharSequence ? value.toString() : value
        }
        return value.toString()
    }
}

CompilerConfiguration config = new CompilerConfiguration()
config.scriptBaseClass = PipelineRecorder.name
Map result = [:]
args.each { String file ->
    PipelineRecorder script = (PipelineRecorder) new GroovyShell(this.class.classLoader, new Binding(), config).parse(new File(file))
    script.run()
    result[file] = script.recorded()
}
println JsonOutput.toJson(result)
