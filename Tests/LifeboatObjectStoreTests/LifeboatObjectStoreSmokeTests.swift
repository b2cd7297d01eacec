import Testing
@testable import LifeboatObjectStore
