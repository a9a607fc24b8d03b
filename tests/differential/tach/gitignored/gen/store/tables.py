import gen.store.scratch
import gen.build
