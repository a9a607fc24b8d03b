import gen.store
import gen.build.output
