"""connectors/github"""
