from hub.core.registry import Registry, register
