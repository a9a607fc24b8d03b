from kit.engine.internals import step
